package io.has.config;

/**
 * One configuration problem, naming the key path it concerns and what was expected. Messages never
 * contain a secret value.
 *
 * @param path    full key path such as {@code postgresql.listen} or {@code zookeeper.hosts[1]}; for
 *                problems with a whole source, the file name or environment variable name
 * @param message what was expected and what was found
 */
public record ConfigError(String path, String message) {

    /** {@code path: message}, e.g. {@code postgresql.listen: expected host:port, got '127.0.0.1'}. */
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
