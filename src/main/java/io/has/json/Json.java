package io.has.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON trees as plain Java values, on Jackson's streaming API (jackson-core) alone.
 *
 * <p>Reading gives {@link LinkedHashMap} for objects (document order; a repeated key keeps its first
 * position and its last value), {@link ArrayList} for arrays, {@link String}, {@link Integer},
 * {@link Long} or {@link BigInteger} for integers by size, {@link Double} for the rest, {@link Boolean}
 * and {@code null}: what jackson-databind's {@code readTree}/{@code readValue(.., Object.class)} gave.
 * Errors are Jackson's own {@link JsonProcessingException}s, with their line and column.
 *
 * <p>Writing takes such trees (any {@link Map}, {@link Iterable}, object array, {@link CharSequence},
 * {@link Number}, {@link Boolean}, {@link Enum} by name, {@link Character}, {@code null}) and gives
 * compact JSON, byte for byte what databind's {@code writeValueAsString} printed for the same values.
 * Any other type is an {@link IllegalArgumentException}: HAS serialises no beans. Stateless and
 * thread-safe.
 */
public final class Json {

    /** Jackson's defaults, as {@code new ObjectMapper()}: non-ASCII characters written as they are. */
    public static final Json PLAIN = new Json(new JsonFactory());

    /**
     * Python's {@code json.dumps} escaping, as Patroni writes its ZooKeeper values: every non-ASCII
     * character as {@code \}{@code u00e9} with lower-case hex.
     */
    public static final Json ASCII = new Json(JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build());

    private static final JsonFactory READER = new JsonFactory();
    private static final JsonFactory STRICT_READER = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonFactory factory;

    private Json(JsonFactory factory) {
        this.factory = factory;
    }

    // ---------------------------------------------------------------------------------------------
    // reading

    /**
     * The first JSON value of {@code text}; whatever follows a complete value is not read (databind's
     * {@code readTree}).
     *
     * @throws JsonProcessingException when the text holds no value or the value is not valid JSON
     */
    public static Object read(String text) throws JsonProcessingException {
        try (JsonParser p = READER.createParser(text)) {
            return readRoot(p, false);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
    }

    /** {@link #read(String)} of UTF-8 (or UTF-16/32 with a byte-order mark, as Jackson detects) bytes. */
    public static Object read(byte[] bytes) throws JsonProcessingException {
        try (JsonParser p = READER.createParser(bytes)) {
            return readRoot(p, false);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Exactly one JSON value: content after it and a key repeated within an object are errors too.
     *
     * @throws JsonProcessingException naming the line and column of the problem
     */
    public static Object readStrict(String text) throws JsonProcessingException {
        try (JsonParser p = STRICT_READER.createParser(text)) {
            return readRoot(p, true);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object readRoot(JsonParser p, boolean strict) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new JsonParseException(p, "No content to map due to end-of-input", p.currentTokenLocation());
        }
        Object value = readValue(p, t);
        if (strict) {
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value",
                        p.currentTokenLocation());
            }
        }
        return value;
    }

    /** The value starting at token {@code t}; the parser's nesting limit bounds the recursion. */
    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                String key;
                while ((key = p.nextFieldName()) != null) {
                    map.put(key, readValue(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, e));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue(); // Integer, Long or BigInteger by size
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                // END_OBJECT/END_ARRAY/FIELD_NAME cannot start a value: the parser rejects them first
                throw new JsonParseException(p, "Unexpected token " + t, p.currentTokenLocation());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // writing

    /**
     * Compact JSON text of {@code value}.
     *
     * @throws IllegalArgumentException when the tree holds a type that has no JSON form here
     */
    public String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does no I/O
        }
        return out.toString();
    }

    /** {@link #write(Object)} as UTF-8 bytes. */
    public byte[] writeBytes(Object value) {
        try (ByteArrayBuilder out = new ByteArrayBuilder()) {
            try (JsonGenerator g = factory.createGenerator(out)) {
                writeValue(g, value);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(key(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object o : it) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] a) {
            g.writeStartArray();
            for (Object o : a) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Number n) {
            writeNumber(g, n);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof CharSequence || v instanceof Character) {
            g.writeString(v.toString());
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void writeNumber(JsonGenerator g, Number n) throws IOException {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof AtomicInteger) {
            g.writeNumber(n.intValue());
        } else if (n instanceof Long || n instanceof AtomicLong) {
            g.writeNumber(n.longValue());
        } else if (n instanceof Double) {
            g.writeNumber(n.doubleValue());
        } else if (n instanceof Float) {
            g.writeNumber(n.floatValue());
        } else if (n instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (n instanceof BigDecimal d) {
            g.writeNumber(d);
        } else {
            throw new IllegalArgumentException("no JSON form for " + n.getClass().getName());
        }
    }

    /** A map key as databind writes it: its string form; JSON has no null key. */
    private static String key(Object k) {
        if (k == null) {
            throw new IllegalArgumentException("null key in a map: JSON has none");
        }
        return k instanceof Enum<?> e ? e.name() : k.toString();
    }
}
