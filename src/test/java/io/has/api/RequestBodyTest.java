package io.has.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request bodies: Patroni's {@code _read_json_content} answers, with HAS's line and column on bad JSON. */
class RequestBodyTest {

    private static RequestBody parse(String body, boolean optional) {
        return RequestBody.parse(body == null ? null : body.getBytes(StandardCharsets.UTF_8), body != null, optional);
    }

    private static String error(String body, boolean optional) {
        HttpError e = assertThrows(HttpError.class, () -> parse(body, optional));
        return e.status() + " " + e.getMessage();
    }

    @Test
    void readsAJsonObjectWithItsTypes() {
        RequestBody b = parse("{\"leader\":\"pg1\",\"candidate\":null,\"timeout\":30,\"force\":\"yes\",\"ratio\":0.5,"
                + "\"list\":[1,\"2\"]}", false);
        assertEquals("pg1", b.string("leader"));
        assertEquals(null, b.string("candidate"));
        assertEquals(true, b.bool("force"));
        assertEquals(Map.of("x", 1), parse("{\"x\":1}", false).map());
        assertEquals(30, b.view().get("timeout"));
        assertEquals(0.5, b.view().get("ratio"));
        assertEquals(List.of(1, "2"), b.view().get("list"));
        assertTrue(parse("", true).isEmpty());
        assertTrue(parse(null, true).isEmpty());
    }

    @Test
    void badJsonIs400NamingLineAndColumn() {
        assertEquals("400 Bad request: invalid JSON at line 2 column 8", error("{\"a\": 1,\n  \"b\": nope}", false));
        assertEquals("400 Bad request: invalid JSON at line 1 column 9", error("{\"a\":1} {}", false));
        assertEquals("400 Bad request: invalid JSON at line 1 column 11", error("{\"a\":1,\"a\":2}", false));
        assertEquals("400 Bad request: invalid JSON at line 1 column 0", error("", false));
        assertEquals("400 Bad request: body must be a JSON object", error("[1]", false));
        assertEquals("400 Bad request: body must not be an empty object", error("{}", false));
        HttpError notBool = assertThrows(HttpError.class, () -> parse("{\"timeout\":30}", false).bool("timeout"));
        assertEquals("Bad request: timeout must be a boolean", notBool.getMessage());
        HttpError e = assertThrows(HttpError.class, () -> RequestBody.parse(new byte[] {'"', (byte) 0xff, '"'}, true, false));
        assertEquals("Bad request: body is not UTF-8", e.getMessage());
        assertEquals(411, assertThrows(HttpError.class, () -> parse(null, false)).status());
    }
}
