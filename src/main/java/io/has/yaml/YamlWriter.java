package io.has.yaml;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.emitter.Emitter;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.ImplicitTuple;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Block-style YAML of plain Java trees (maps, iterables, arrays, strings, numbers, booleans, enums,
 * null), emitted through SnakeYAML's {@link Emitter} with the same events and scalar styles
 * jackson-dataformat-yaml chose with {@code MINIMIZE_QUOTES} and no document start marker, so the text
 * is what HAS printed before, character for character:
 * <ul>
 *   <li>strings plain, but double-quoted when empty, a YAML 1.1 keyword ({@code yes}, {@code null},
 *       {@code ~}, ...), holding {@code ,[]{}}, {@code " #"} or {@code ": "}, or (for {@link #SORTED})
 *       looking like a number; in literal block style ({@code |}) when holding a line break; SnakeYAML
 *       may still pick quotes where plain text would not parse;</li>
 *   <li>keys plain unless a keyword, number-like or holding a control character;</li>
 *   <li>numbers and booleans as Java prints them, null as {@code null}, empty collections as
 *       {@code {}} and {@code []}.</li>
 * </ul>
 * Any other type is an {@link IllegalArgumentException}. Stateless and thread-safe.
 */
public final class YamlWriter {

    /** {@code has --validate} and the DEBUG dump of the configuration: keys in the map's own order. */
    public static final YamlWriter PLAIN = new YamlWriter(false, false);

    /**
     * hasctl's YAML, as patronictl's {@code yaml.safe_dump}: keys sorted at every level, and strings
     * that look like numbers quoted so that they read back as strings.
     */
    public static final YamlWriter SORTED = new YamlWriter(true, true);

    private static final ImplicitTuple NO_TAGS = new ImplicitTuple(true, true);
    private static final ImplicitTuple EXPLICIT_TAGS = new ImplicitTuple(false, false);
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?[0-9]*(\\.[0-9]*)?");
    private static final Set<String> KEYWORDS = Set.of(
            "false", "False", "FALSE", "n", "N", "no", "No", "NO", "null", "Null", "NULL", "on", "On", "ON",
            "off", "Off", "OFF", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES");

    private final boolean sortKeys;
    private final boolean quoteNumbers;

    private YamlWriter(boolean sortKeys, boolean quoteNumbers) {
        this.sortKeys = sortKeys;
        this.quoteNumbers = quoteNumbers;
    }

    /**
     * The YAML text of {@code value}, ending with a line break.
     *
     * @throws IllegalArgumentException when the tree holds a type that has no YAML form here
     */
    public String write(Object value) {
        StringWriter out = new StringWriter();
        DumperOptions options = new DumperOptions();
        options.setCanonical(false);
        options.setDefaultFlowStyle(FlowStyle.BLOCK);
        options.setSplitLines(true);
        Emitter emitter = new Emitter(out, options);
        try {
            emitter.emit(new StreamStartEvent(null, null));
            emitter.emit(new DocumentStartEvent(null, null, false, null, Map.of()));
            writeValue(emitter, value);
            emitter.emit(new DocumentEndEvent(null, null, false));
            emitter.emit(new StreamEndEvent(null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does no I/O
        }
        return out.toString();
    }

    private void writeValue(Emitter e, Object v) throws IOException {
        if (v == null) {
            scalar(e, "null", ScalarStyle.PLAIN);
        } else if (v instanceof String s) {
            string(e, s);
        } else if (v instanceof Map<?, ?> m) {
            e.emit(new MappingStartEvent(null, null, true, null, null, FlowStyle.BLOCK));
            for (Map.Entry<?, ?> entry : (sortKeys && !(m instanceof SortedMap) ? sorted(m) : m).entrySet()) {
                String key = key(entry.getKey());
                scalar(e, key, needsQuotesAsKey(key) ? ScalarStyle.DOUBLE_QUOTED : ScalarStyle.PLAIN);
                writeValue(e, entry.getValue());
            }
            e.emit(new MappingEndEvent(null, null));
        } else if (v instanceof Iterable<?> it) {
            e.emit(new SequenceStartEvent(null, null, true, null, null, FlowStyle.BLOCK));
            for (Object o : it) {
                writeValue(e, o);
            }
            e.emit(new SequenceEndEvent(null, null));
        } else if (v instanceof Object[] a) {
            writeValue(e, Arrays.asList(a));
        } else if (v instanceof Boolean b) {
            scalar(e, b ? "true" : "false", ScalarStyle.PLAIN);
        } else if (v instanceof Number n) {
            scalar(e, number(n), ScalarStyle.PLAIN);
        } else if (v instanceof Enum<?> en) {
            string(e, en.name());
        } else if (v instanceof CharSequence || v instanceof Character) {
            string(e, v.toString());
        } else if (v instanceof byte[] bytes) {
            // !!binary in MIME base64, as SnakeYAML reads it back
            String encoded = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
            e.emit(new ScalarEvent(null, Tag.BINARY.toString(), EXPLICIT_TAGS, encoded, null, null, ScalarStyle.LITERAL));
        } else {
            throw new IllegalArgumentException("no YAML form for " + v.getClass().getName());
        }
    }

    private static void scalar(Emitter e, String text, ScalarStyle style) throws IOException {
        e.emit(new ScalarEvent(null, null, NO_TAGS, text, null, null, style));
    }

    private void string(Emitter e, String s) throws IOException {
        ScalarStyle style;
        if (s.isEmpty()) {
            style = ScalarStyle.DOUBLE_QUOTED;
        } else if (s.indexOf('\n') >= 0) {
            style = ScalarStyle.LITERAL;
        } else if (isKeyword(s) || hasQuotableChar(s) || (quoteNumbers && looksLikeNumber(s))) {
            style = ScalarStyle.DOUBLE_QUOTED;
        } else {
            style = ScalarStyle.PLAIN;
        }
        scalar(e, s, style);
    }

    private static Map<?, ?> sorted(Map<?, ?> m) {
        Map<Object, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(key(k), v));
        return out;
    }

    private static String key(Object k) {
        if (k == null) {
            throw new IllegalArgumentException("null key in a map");
        }
        return k instanceof Enum<?> en ? en.name() : k.toString();
    }

    private static String number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof AtomicInteger) {
            return String.valueOf(n.intValue());
        }
        if (n instanceof Long || n instanceof AtomicLong) {
            return String.valueOf(n.longValue());
        }
        if (n instanceof Double || n instanceof Float || n instanceof BigInteger || n instanceof BigDecimal) {
            return n.toString();
        }
        throw new IllegalArgumentException("no YAML form for " + n.getClass().getName());
    }

    // ---------------------------------------------------------------------------------------------
    // jackson-dataformat-yaml's quoting rules (StringQuotingChecker.Default, YAMLGenerator)

    /** Empty, {@code ~...}, or a YAML 1.1 boolean/null word. */
    private static boolean isKeyword(String s) {
        if (s.isEmpty()) {
            return true;
        }
        char c = s.charAt(0);
        return c == '~' || ("FNOTYfnoty".indexOf(c) >= 0 && KEYWORDS.contains(s));
    }

    /** Flow indicators anywhere, a comment start ({@code #} after a blank) or a value indicator ({@code :} before one). */
    private static boolean hasQuotableChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case ',', '[', ']', '{', '}' -> {
                    return true;
                }
                case '#' -> {
                    if (i == 0 || isBlank(s.charAt(i - 1))) {
                        return true;
                    }
                }
                case ':' -> {
                    if (i == s.length() - 1 || isBlank(s.charAt(i + 1))) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** A key is quoted when it is a keyword, starts like a number, or holds a control character. */
    private static boolean needsQuotesAsKey(String key) {
        if (isKeyword(key)) {
            return true;
        }
        char c = key.charAt(0);
        if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
            return true;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < ' ') {
                return true;
            }
        }
        return false;
    }

    /** Text a YAML reader would take for a number: digits with an optional sign and point, or SnakeYAML's int/float. */
    private static boolean looksLikeNumber(String s) {
        char c = s.charAt(0);
        if (!(c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) || s.indexOf(':') >= 0) {
            return false;
        }
        return PLAIN_NUMBER.matcher(s).matches() || Resolver.INT.matcher(s).matches()
                || Resolver.FLOAT.matcher(s).matches();
    }
}
