package io.has.config;

import io.has.yaml.YamlException;
import io.has.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads YAML text, files and directories of files into one {@code Map<String,Object>} tree, with
 * Patroni's merge rules ({@code patch_config}): maps merge recursively, other values replace, and a
 * null value removes the key.
 */
final class YamlSource {

    private YamlSource() {
    }

    /**
     * Parses one YAML document whose top level must be a map. An empty document is an empty map.
     *
     * @return the tree, or null when an error was recorded under {@code sourceName}
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text, String sourceName, List<ConfigError> errors) {
        Object tree;
        try {
            tree = text == null || text.isBlank() ? null : YamlReader.read(text);
        } catch (YamlException e) {
            errors.add(new ConfigError(sourceName, syntaxMessage(e)));
            return null;
        } catch (RuntimeException e) {
            errors.add(new ConfigError(sourceName, "cannot parse YAML: " + e.getClass().getSimpleName()));
            return null;
        }
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        if (!(tree instanceof Map<?, ?>)) {
            errors.add(new ConfigError(sourceName, "expected a map of settings at the top level, got "
                    + (tree instanceof List<?> ? "a list" : "a single value")));
            return null;
        }
        return (Map<String, Object>) tree;
    }

    /**
     * Parses a small YAML fragment (an environment value); null if it does not parse.
     */
    static Object parseFragment(String text) {
        try {
            return YamlReader.read(text);
        } catch (YamlException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads a file, or every {@code *.yml}/{@code *.yaml} regular file of a directory merged in
     * alphabetical order.
     *
     * @return the merged tree, or null when an error was recorded
     */
    static Map<String, Object> read(Path path, List<ConfigError> errors) {
        if (path == null) {
            errors.add(new ConfigError("<config>", "no configuration file given"));
            return null;
        }
        String name = path.toString();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> {
                    String f = p.getFileName().toString();
                    return (f.endsWith(".yml") || f.endsWith(".yaml")) && Files.isRegularFile(p);
                }).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            } catch (IOException e) {
                errors.add(new ConfigError(name, "cannot list directory: " + e.getMessage()));
                return null;
            }
            if (files.isEmpty()) {
                errors.add(new ConfigError(name, "directory contains no *.yml or *.yaml files"));
                return null;
            }
            Map<String, Object> merged = new LinkedHashMap<>();
            boolean ok = true;
            for (Path f : files) {
                Map<String, Object> one = readFile(f, errors);
                if (one == null) {
                    ok = false;
                } else {
                    patch(merged, one);
                }
            }
            return ok ? merged : null;
        }
        return readFile(path, errors);
    }

    private static Map<String, Object> readFile(Path file, List<ConfigError> errors) {
        String name = file.toString();
        if (!Files.exists(file)) {
            errors.add(new ConfigError(name, "configuration file does not exist"));
            return null;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            errors.add(new ConfigError(name, "configuration file is not a readable regular file"));
            return null;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), name, errors);
        } catch (IOException e) {
            errors.add(new ConfigError(name, "cannot read configuration file: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Patroni's {@code patch_config}: merges {@code data} into {@code config} in place.
     */
    @SuppressWarnings("unchecked")
    static void patch(Map<String, Object> config, Map<String, Object> data) {
        for (Map.Entry<String, Object> e : data.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (v == null) {
                config.remove(k);
            } else if (v instanceof Map<?, ?> vm && config.get(k) instanceof Map<?, ?> cm) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) cm);
                patch(copy, (Map<String, Object>) vm);
                config.put(k, copy);
            } else {
                config.put(k, deepCopy(v));
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }

    /** "YAML syntax error at line L, column C: problem" without quoting the offending text. */
    private static String syntaxMessage(YamlException e) {
        if (e.line() > 0) {
            return "YAML syntax error at line " + e.line() + ", column " + e.column() + ": " + e.problem();
        }
        return "YAML syntax error: " + e.problem();
    }
}
