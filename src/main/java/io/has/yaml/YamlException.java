package io.has.yaml;

import java.io.IOException;
import org.yaml.snakeyaml.error.Mark;

/**
 * YAML that could not be read: a syntax error found by SnakeYAML, or a value HAS cannot use (a complex
 * key, a malformed number, no document at all). Carries the position of the problem when known.
 */
public final class YamlException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int line;
    private final int column;

    /**
     * @param message the full message (SnakeYAML's own, several lines, for its errors)
     * @param problem one line saying what is wrong
     * @param mark    where, or null when unknown
     */
    YamlException(String message, String problem, Mark mark, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.line = mark == null ? 0 : mark.getLine() + 1;
        this.column = mark == null ? 0 : mark.getColumn() + 1;
    }

    /** What is wrong, in one line, without the position. */
    public String problem() {
        return problem;
    }

    /** 1-based line of the problem, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem, 0 when unknown. */
    public int column() {
        return column;
    }
}
