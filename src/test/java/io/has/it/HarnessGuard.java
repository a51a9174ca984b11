package io.has.it;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns the resources of one test: after each test it closes everything registered, in reverse
 * order, whether the test passed or not; when the test failed, each cluster first prints its
 * members' log tails.
 *
 * <pre>
 * &#64;RegisterExtension final HarnessGuard guard = new HarnessGuard();
 * ...
 * ClusterHarness cluster = guard.register(ClusterHarness.create(options));
 * </pre>
 */
public final class HarnessGuard implements AfterTestExecutionCallback, AfterEachCallback {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public synchronized void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (AutoCloseable r : resources) {
                if (r instanceof ClusterHarness h) {
                    h.markFailed(); // close() prints the log tails before it stops anything
                }
            }
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
