package io.has.config;

import java.util.List;

/**
 * The outcome of loading a configuration: either a config and possibly warnings, or every error found.
 *
 * @param config   the validated configuration, or null when {@code errors} is not empty
 * @param errors   every problem found (all are collected, not just the first)
 * @param warnings things that were ignored or defaulted, e.g. unknown keys
 */
public record ConfigResult(HasConfig config, List<ConfigError> errors, List<String> warnings) {

    public ConfigResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        if (!errors.isEmpty()) {
            config = null;
        }
    }

    /** True when there are no errors and {@link #config()} is set. */
    public boolean isValid() {
        return errors.isEmpty() && config != null;
    }

    /** The errors one per line ({@code path: message}), for printing by {@code has --validate}. */
    public String errorReport() {
        StringBuilder sb = new StringBuilder();
        for (ConfigError e : errors) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
