package io.has.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.has.json.Json;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's JSON object body, read the way Patroni's {@code _read_json_content} reads it: a missing
 * Content-Length is 411 when the body is required, invalid JSON / a non-object / an empty object where a
 * body is required is 400. Field accessors check types and answer 400 naming the field (Patroni would
 * crash with a 500 or silently misread).
 */
final class RequestBody {

    private final Map<String, Object> fields;

    private RequestBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /**
     * @param bytes             the body as received (null when the request had none)
     * @param hasLength         the request carried Content-Length (or a chunked body)
     * @param optional          an absent or zero-length body means {@code {}}
     */
    @SuppressWarnings("unchecked")
    static RequestBody parse(byte[] bytes, boolean hasLength, boolean optional) {
        if (!hasLength) {
            if (optional) {
                return new RequestBody(new LinkedHashMap<>());
            }
            throw HttpError.page(411);
        }
        if ((bytes == null || bytes.length == 0) && optional) {
            return new RequestBody(new LinkedHashMap<>());
        }
        Object value;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes == null ? new byte[0] : bytes)).toString();
            value = Json.readStrict(text);
        } catch (CharacterCodingException e) {
            throw HttpError.page(400, "Bad request: body is not UTF-8");
        } catch (JsonProcessingException e) {
            throw HttpError.page(400, "Bad request: invalid JSON at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr());
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw HttpError.page(400, "Bad request: body must be a JSON object");
        }
        if (m.isEmpty() && !optional) {
            throw HttpError.page(400, "Bad request: body must not be an empty object");
        }
        return new RequestBody((Map<String, Object>) m);
    }

    /** The decoded object, mutable copy owned by the caller. */
    Map<String, Object> map() {
        return new LinkedHashMap<>(fields);
    }

    Map<String, Object> view() {
        return Collections.unmodifiableMap(fields);
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    boolean has(String field) {
        return fields.containsKey(field);
    }

    /** A string field; null or "" when absent; 400 naming the field when of another type. */
    String string(String field) {
        Object v = fields.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw HttpError.page(400, "Bad request: " + field + " must be a string");
    }

    /** A boolean field, Patroni's {@code parse_bool} spellings accepted; 400 naming the field otherwise. */
    Boolean bool(String field) {
        Object v = fields.get(field);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase()) {
                case "true", "on", "yes", "1", "y", "t":
                    return true;
                case "false", "off", "no", "0", "n", "f":
                    return false;
                default:
                    break;
            }
        } else if (v instanceof Number n && (n.intValue() == 0 || n.intValue() == 1)) {
            return n.intValue() == 1;
        }
        throw HttpError.page(400, "Bad request: " + field + " must be a boolean");
    }
}
