package io.has.json;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Lenient navigation over trees read by {@link Json}, with the coercions of databind's
 * {@code JsonNode.path(..)/asText/asLong/asInt/asBoolean}: for reading documents written by other
 * programs (peers' {@code /patroni}, patronictl's output) where a missing or oddly typed field must
 * give a default, never an exception.
 *
 * <p>{@link #path} returns {@link #MISSING} for an absent field (or any field of a non-object), so that
 * a missing field and a JSON {@code null} stay distinct as they were with {@code JsonNode}.
 */
public final class JsonTree {

    /** An absent field: {@code JsonNode}'s MissingNode. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private JsonTree() {
    }

    /** The field of an object, {@link #MISSING} when absent or when {@code node} is not an object. */
    public static Object path(Object node, String field) {
        if (node instanceof Map<?, ?> m && m.containsKey(field)) {
            return m.get(field);
        }
        return MISSING;
    }

    /** The elements of an array, or the values of an object, in order; nothing for anything else. */
    public static Iterable<?> elements(Object node) {
        if (node instanceof List<?> l) {
            return l;
        }
        if (node instanceof Map<?, ?> m) {
            return m.values();
        }
        return List.of();
    }

    /** {@code JsonNode.asText()}: scalars as text, {@code "null"} for null, {@code ""} for containers and missing. */
    public static String asText(Object v) {
        if (v == MISSING || v instanceof Map<?, ?> || v instanceof List<?>) {
            return "";
        }
        return String.valueOf(v);
    }

    /** {@code JsonNode.asText(dflt)}: {@code dflt} for null and missing, else {@link #asText(Object)}. */
    public static String asText(Object v, String dflt) {
        return v == null || v == MISSING ? dflt : asText(v);
    }

    /** {@code JsonNode.asLong(dflt)}: numbers (fractions truncated), booleans as 1/0, numeric text. */
    public static long asLong(Object v, long dflt) {
        if (v instanceof Number n) {
            return n.longValue(); // Double: saturating cast; BigInteger: low 64 bits, as databind
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            return parseAsLong(s, dflt);
        }
        return dflt;
    }

    /** {@code JsonNode.asInt(dflt)}: as {@link #asLong}, narrowed the way databind narrows. */
    public static int asInt(Object v, int dflt) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            return parseAsInt(s, dflt);
        }
        return dflt;
    }

    /**
     * {@code JsonNode.asBoolean(dflt)}: booleans; integers are true unless zero; the exact text
     * {@code true}/{@code false} (surrounding blanks ignored); {@code dflt} for anything else.
     */
    public static boolean asBoolean(Object v, boolean dflt) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue() != 0;
        }
        if (v instanceof BigInteger b) {
            return b.signum() != 0;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.equals("true")) {
                return true;
            }
            if (t.equals("false")) {
                return false;
            }
        }
        return dflt;
    }

    /** Jackson's {@code NumberInput.parseAsLong}: digits as a long, anything else through a double. */
    private static long parseAsLong(String s, long dflt) {
        String t = s.trim();
        if (t.isEmpty()) {
            return dflt;
        }
        if (!allDigits(t)) {
            try {
                return (long) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        try {
            return Long.parseLong(t.charAt(0) == '+' ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static int parseAsInt(String s, int dflt) {
        String t = s.trim();
        if (t.isEmpty()) {
            return dflt;
        }
        if (!allDigits(t)) {
            try {
                return (int) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        try {
            return Integer.parseInt(t.charAt(0) == '+' ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Digits only, after one leading sign. */
    private static boolean allDigits(String t) {
        int i = t.charAt(0) == '+' || t.charAt(0) == '-' ? 1 : 0;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
