package io.has.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the local configuration the way Patroni does: a YAML file (or a directory of {@code *.yml} /
 * {@code *.yaml} files merged alphabetically), overridden by {@code PATRONI_*} environment variables,
 * or the whole YAML from {@code PATRONI_CONFIGURATION} when no file is given. Never throws on bad
 * input: every problem is returned in {@link ConfigResult#errors()}, each naming its key path.
 */
public final class ConfigLoader {

    /** The variable that holds the whole YAML configuration when no file is given. */
    public static final String CONFIGURATION_VARIABLE = "PATRONI_CONFIGURATION";

    private ConfigLoader() {
    }

    /**
     * Loads a file or a directory of YAML files, then applies the environment overrides.
     *
     * @param file a YAML file or a directory of them
     * @param env  the environment ({@code System.getenv()}); null means none
     * @return the config or every error found
     */
    public static ConfigResult load(Path file, Map<String, String> env) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Object> tree = YamlSource.read(file, errors);
        if (tree == null) {
            return new ConfigResult(null, errors, List.of());
        }
        return build(tree, env, errors);
    }

    /**
     * Parses YAML text, then applies the environment overrides.
     *
     * @param yamlText   the YAML document
     * @param sourceName name used as the path of syntax errors (usually the file name)
     * @param env        the environment; null means none
     * @return the config or every error found
     */
    public static ConfigResult parse(String yamlText, String sourceName, Map<String, String> env) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Object> tree = YamlSource.parse(yamlText, sourceName, errors);
        if (tree == null) {
            return new ConfigResult(null, errors, List.of());
        }
        return build(tree, env, errors);
    }

    /**
     * The configuration when no file is given: the YAML in {@code PATRONI_CONFIGURATION} (then no other
     * variable applies, as in Patroni), otherwise the tree built from the {@code PATRONI_*} variables.
     *
     * @param env the environment
     * @return the config or every error found
     */
    public static ConfigResult loadFromEnvironment(Map<String, String> env) {
        Map<String, String> e = env == null ? Map.of() : env;
        String text = e.get(CONFIGURATION_VARIABLE);
        if (text != null && !text.isBlank()) {
            return parse(text, CONFIGURATION_VARIABLE, Map.of());
        }
        return build(new LinkedHashMap<>(), e, new ArrayList<>());
    }

    /**
     * A deep copy of a configuration tree with every password replaced by {@code ******}.
     *
     * @param tree a YAML tree, e.g. {@link HasConfig#raw()}
     * @return the masked copy
     */
    public static Map<String, Object> masked(Map<String, ?> tree) {
        return Secrets.masked(tree);
    }

    private static ConfigResult build(Map<String, Object> fileTree, Map<String, String> env,
            List<ConfigError> errors) {
        Map<String, Object> tree = new LinkedHashMap<>();
        YamlSource.patch(tree, fileTree);
        YamlSource.patch(tree, EnvOverrides.build(env, errors));
        List<String> warnings = new ArrayList<>();
        HasConfig config = ConfigMapper.map(tree, new TreeReader(errors, warnings));
        return new ConfigResult(errors.isEmpty() ? config : null, errors, warnings);
    }
}
