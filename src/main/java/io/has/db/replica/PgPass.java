package io.has.db.replica;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Looks a password up in a libpq password file ({@code host:port:db:user:password}, {@code *} wildcards). */
final class PgPass {

    private PgPass() {
    }

    static String lookup(String file, String host, int port, String db, String user) throws IOException {
        if (file == null || !Files.isReadable(Path.of(file))) {
            return null;
        }
        for (String line : Files.readAllLines(Path.of(file))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            if (f.size() == 5 && match(f.get(0), host) && match(f.get(1), Integer.toString(port < 0 ? 5432 : port))
                    && match(f.get(2), db) && match(f.get(3), user)) {
                return f.get(4);
            }
        }
        return null;
    }

    private static boolean match(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (ch == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
