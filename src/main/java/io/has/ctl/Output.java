package io.has.ctl;

import io.has.json.Json;
import io.has.yaml.YamlWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders hasctl output: patronictl's pretty tables, JSON or YAML. */
final class Output {

    /** {@code --format}: pretty tables (default), json or yaml. */
    enum Format { pretty, json, yaml }

    private Output() {
    }

    /** Compact JSON and a line break. */
    static String json(Object value) {
        return Json.PLAIN.write(value) + "\n";
    }

    /** YAML with sorted keys, as patronictl's {@code yaml.safe_dump(..., default_flow_style=False)}. */
    static String yaml(Object value) {
        return YamlWriter.SORTED.write(value);
    }

    /** Rows (ordered maps with the same keys) as the chosen format; pretty is a table. */
    static String rows(Format f, String title, List<Map<String, Object>> rows, List<String> header,
                       Set<String> rightAligned) {
        return switch (f) {
            case json -> json(rows);
            case yaml -> yaml(rows);
            default -> table(title, header, rows, rightAligned);
        };
    }

    /** A PrettyTable-style grid; {@code title} (or null) goes into the top border. */
    static String table(String title, List<String> header, List<Map<String, Object>> rows, Set<String> rightAligned) {
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<String> line = new ArrayList<>();
            for (String h : header) {
                Object v = r.get(h);
                line.add(v == null ? "" : String.valueOf(v));
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> line : cells) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder sep = new StringBuilder("+");
        for (int w : width) {
            sep.append("-".repeat(w + 2)).append('+');
        }
        StringBuilder out = new StringBuilder();
        if (title == null) {
            out.append(sep).append('\n');
        } else {
            String t = "+ " + title + " ";
            out.append(t.length() < sep.length() ? t + sep.substring(t.length()) : t + "+").append('\n');
        }
        out.append(line(header, width, rightAligned, header)).append('\n').append(sep).append('\n');
        for (List<String> line : cells) {
            out.append(line(line, width, rightAligned, header)).append('\n');
        }
        return out.append(sep).append('\n').toString();
    }

    private static String line(List<String> values, int[] width, Set<String> right, List<String> header) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String pad = " ".repeat(width[i] - v.length());
            b.append(' ').append(right.contains(header.get(i)) ? pad + v : v + pad).append(" |");
        }
        return b.toString();
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
