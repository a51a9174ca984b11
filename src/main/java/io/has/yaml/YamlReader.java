package io.has.yaml;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the first YAML document of a text into plain Java values, from SnakeYAML's parser events, with
 * the typing rules jackson-dataformat-yaml applied when HAS read its configuration through it (so that
 * configurations mean what they meant):
 * <ul>
 *   <li>mappings are {@link LinkedHashMap}s with string keys exactly as written (keys are never typed:
 *       {@code 1:} is the key {@code "1"}); a repeated key keeps its first place and its last value;
 *       a key that is not a scalar is an error;</li>
 *   <li>sequences are {@link ArrayList}s;</li>
 *   <li>plain scalars are typed by SnakeYAML's YAML 1.1 {@link Resolver}: booleans ({@code yes},
 *       {@code off}, ...), null ({@code ~}, {@code null}, empty), integers ({@code 0755} octal,
 *       {@code 0x1f}, {@code 0b101}, {@code 1_000}) as {@link Integer}, {@link Long} or
 *       {@link BigInteger}, floats as {@link Double} ({@code .inf} and {@code .nan} are errors),
 *       everything else (timestamps too) a {@link String}; quoted scalars are strings;</li>
 *   <li>the tags {@code !!str !!int !!float !!bool !!null} convert, {@code !!binary} gives a
 *       {@code byte[]}, other tags are ignored;</li>
 *   <li>an alias ({@code *name}) reads as the string {@code name}: anchors are not resolved.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class YamlReader {

    /** Deeper documents are refused rather than risking the stack (Jackson's default limit). */
    static final int MAX_DEPTH = 1000;

    private static final Resolver RESOLVER = new Resolver();
    private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";

    private YamlReader() {
    }

    /**
     * The first document of {@code text}; what follows it is not read.
     *
     * @return the document's value; null for an explicit null document ({@code ~})
     * @throws YamlException when the text is not YAML, holds no document, or a value cannot be read
     */
    public static Object read(String text) throws YamlException {
        Events events = new Events(text);
        try {
            Event first = events.next();
            if (first.is(Event.ID.StreamEnd)) {
                throw events.error("No content to map due to end-of-input");
            }
            return events.value(first, 1);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new YamlException(e.getMessage(), e.getProblem() != null ? e.getProblem() : "invalid YAML", mark, e);
        } catch (YAMLException e) {
            String message = String.valueOf(e.getMessage());
            throw new YamlException(message, message.lines().findFirst().orElse("invalid YAML"), events.lastEnd(), e);
        } catch (NumberFormatException e) {
            throw events.error("Malformed Number token: failed to tokenize due to (" + e.getClass().getName() + "): "
                    + e.getMessage());
        }
    }

    /** The parser's events, less the document and stream markers (and comments) that carry no value. */
    private static final class Events {

        private final ParserImpl parser;
        private Event last;

        Events(String text) {
            this.parser = new ParserImpl(new StreamReader(new StringReader(text)), new LoaderOptions());
        }

        Event next() {
            while (true) {
                Event e = parser.getEvent();
                last = e;
                switch (e.getEventId()) {
                    case StreamStart, DocumentStart, DocumentEnd, Comment -> {
                        // no value of their own
                    }
                    default -> {
                        return e;
                    }
                }
            }
        }

        Mark lastEnd() {
            return last == null ? null : last.getEndMark();
        }

        YamlException error(String problem) {
            return new YamlException(problem, problem, lastEnd(), null);
        }

        /** The value starting at event {@code e}, {@code depth} containers deep when it is one itself. */
        Object value(Event e, int depth) throws YamlException {
            if (depth > MAX_DEPTH && (e.is(Event.ID.MappingStart) || e.is(Event.ID.SequenceStart))) {
                String problem = "Document nesting depth (" + depth + ") exceeds the maximum allowed (" + MAX_DEPTH + ")";
                throw new YamlException(problem, problem, null, null);
            }
            switch (e.getEventId()) {
                case Scalar:
                    return scalar((ScalarEvent) e);
                case Alias:
                    return ((AliasEvent) e).getAnchor();
                case MappingStart: {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (Event k = next(); !k.is(Event.ID.MappingEnd); k = next()) {
                        if (!k.is(Event.ID.Scalar)) {
                            throw error("Expected a field name (Scalar value in YAML), got this instead: " + k);
                        }
                        String key = ((ScalarEvent) k).getValue();
                        map.put(key, value(next(), depth + 1));
                    }
                    return map;
                }
                case SequenceStart: {
                    List<Object> list = new ArrayList<>();
                    for (Event x = next(); !x.is(Event.ID.SequenceEnd); x = next()) {
                        list.add(value(x, depth + 1));
                    }
                    return list;
                }
                default:
                    // SnakeYAML never sends an end or the stream's end where a value must start
                    throw error("Expected a value, got this instead: " + e);
            }
        }

        private Object scalar(ScalarEvent s) throws YamlException {
            String value = s.getValue();
            String tag = s.getTag();
            if (tag == null || tag.equals("!")) {
                Tag t = RESOLVER.resolve(NodeId.scalar, value, s.getImplicit().canOmitTagInPlainScalar());
                if (t == Tag.INT) {
                    return integer(value);
                }
                if (t == Tag.FLOAT) {
                    return floating(value);
                }
                if (t == Tag.BOOL) {
                    Boolean b = bool(value);
                    return b != null ? b : value;
                }
                return t == Tag.NULL ? null : value;
            }
            String type = tag;
            if (tag.startsWith(YAML_TAG_PREFIX)) {
                type = tag.substring(YAML_TAG_PREFIX.length());
                if (type.contains(",")) {
                    String[] parts = type.split(",");
                    type = parts.length == 0 ? "" : parts[0];
                }
            }
            switch (type) {
                case "binary":
                    try {
                        return Base64.getMimeDecoder().decode(value.trim());
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage());
                    }
                case "bool": {
                    Boolean b = bool(value);
                    return b != null ? b : value;
                }
                case "int":
                    return value.isEmpty() ? value : integer(value);
                case "float":
                    return value.isEmpty() ? value : floating(value);
                case "null":
                    return value.isEmpty() ? value : null;
                default:
                    return value;
            }
        }

        /** YAML 1.1 booleans in any case; also {@code y}/{@code n} under an explicit {@code !!bool}. */
        private static Boolean bool(String value) {
            switch (value.length()) {
                case 1 -> {
                    char c = value.charAt(0);
                    return c == 'y' || c == 'Y' ? Boolean.TRUE : c == 'n' || c == 'N' ? Boolean.FALSE : null;
                }
                case 2 -> {
                    return "no".equalsIgnoreCase(value) ? Boolean.FALSE : "on".equalsIgnoreCase(value) ? Boolean.TRUE : null;
                }
                case 3 -> {
                    return "yes".equalsIgnoreCase(value) ? Boolean.TRUE : "off".equalsIgnoreCase(value) ? Boolean.FALSE : null;
                }
                case 4 -> {
                    return "true".equalsIgnoreCase(value) ? Boolean.TRUE : null;
                }
                case 5 -> {
                    return "false".equalsIgnoreCase(value) ? Boolean.FALSE : null;
                }
                default -> {
                    return null;
                }
            }
        }

        /**
         * An integer as jackson-dataformat-yaml decoded it: sign, then {@code 0} alone, {@code 0b}/{@code 0x}
         * prefixes or a leading {@code 0} (octal), else decimal digits and underscores; anything else
         * (a sexagesimal {@code 1:30}) stays a string.
         */
        private Object integer(String value) throws YamlException {
            int len = value.length();
            boolean negative = value.charAt(0) == '-';
            int i = negative || value.charAt(0) == '+' ? 1 : 0;
            if (i == len) {
                return value;
            }
            if (value.charAt(i) == '0') {
                if (++i == len) {
                    return 0;
                }
                char c = value.charAt(i);
                if (c == 'b' || c == 'B') {
                    return radix(value, i + 1, negative, 2, 31, 63, 32);
                }
                if (c == 'x' || c == 'X') {
                    return radix(value, i + 1, negative, 16, 7, 15, 8);
                }
                if ((c >= '0' && c <= '9') || c == '_') {
                    return radix(value, i, negative, 8, 10, 21, -1);
                }
                return value;
            }
            boolean underscores = false;
            for (int j = i; j < len; j++) {
                char c = value.charAt(j);
                if (c == '_') {
                    underscores = true;
                } else if (c < '0' || c > '9') {
                    return value;
                }
            }
            String digits = value;
            if (underscores) {
                digits = withoutUnderscores(value, value.charAt(0) == '+' ? 1 : 0);
                if (digits.isEmpty() || digits.equals("-")) {
                    throw error("Invalid number ('" + value + "')");
                }
            }
            return decimal(value, digits, negative);
        }

        /**
         * Decimal text by its length, as Jackson's parser sized it: up to 9 digits an Integer, up to 18 a
         * Long (an Integer when 10 digits fit), 19 a Long when it fits, longer a BigInteger. A leading
         * {@code +} counts as a digit here ({@code +2147483647} is a Long), as it did.
         */
        private Object decimal(String value, String digits, boolean negative) throws YamlException {
            int len = digits.length() - (negative ? 1 : 0);
            try {
                if (len <= 9) {
                    return Integer.parseInt(digits);
                }
                if (len <= 18) {
                    long l = Long.parseLong(digits);
                    if (len == 10 && (negative ? l >= Integer.MIN_VALUE : l <= Integer.MAX_VALUE)) {
                        return (int) l;
                    }
                    return l;
                }
                BigInteger b = new BigInteger(digits);
                return len == 19 && b.bitLength() <= 63 ? (Object) b.longValue() : b;
            } catch (NumberFormatException e) {
                throw error("Malformed numeric value '" + value + "'");
            }
        }

        /**
         * Binary, octal or hex digits from {@code from}: an Integer up to {@code intDigits} digits, a Long
         * up to {@code longDigits} (an Integer again when exactly {@code intCheckDigits} digits fit),
         * else a BigInteger. Digit counts, not values, decide, as they did.
         */
        private Object radix(String value, int from, boolean negative, int radix, int intDigits, int longDigits,
                             int intCheckDigits) throws YamlException {
            String digits = withoutUnderscores(value, from);
            try {
                if (digits.length() <= intDigits) {
                    int v = Integer.parseInt(digits, radix);
                    return negative ? -v : v;
                }
                if (digits.length() <= longDigits) {
                    long v = Long.parseLong(digits, radix);
                    boolean checkInt = digits.length() == intCheckDigits;
                    if (negative) {
                        long actual = -v;
                        return checkInt && actual >= Integer.MIN_VALUE ? (Object) (int) actual : (Object) actual;
                    }
                    // Jackson's check was "< Integer.MAX_VALUE": the maximum itself stays a Long
                    return checkInt && v < Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
                }
                BigInteger b = new BigInteger(digits, radix);
                return negative ? b.negate() : b;
            } catch (NumberFormatException e) {
                throw error("Invalid base-" + radix + " number ('" + digits + "'), problem: " + e.getMessage());
            }
        }

        /** A float: underscores dropped (with a leading {@code +}), then Java's own parsing. */
        private Object floating(String value) throws YamlException {
            String text = value.indexOf('_') < 0 ? value : withoutUnderscores(value, value.charAt(0) == '+' ? 1 : 0);
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw error("Malformed numeric value '" + value + "'");
            }
        }

        private static String withoutUnderscores(String s, int from) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) != '_') {
                    b.append(s.charAt(i));
                }
            }
            return b.toString();
        }
    }
}
