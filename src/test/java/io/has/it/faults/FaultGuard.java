package io.has.it.faults;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Owns what a fault test class shares between its ordered steps (register it in a static field):
 * after the class it closes everything registered, in reverse order, whether the steps passed or
 * not. When a step fails, each fault cluster prints its members' log tails on close, and the later
 * steps are skipped (they would start from an unknown state of the shared cluster).
 */
public final class FaultGuard implements AfterAllCallback, BeforeEachCallback, TestWatcher {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile String failedStep;

    public synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (failedStep != null) {
            Assumptions.abort("skipped: the earlier step " + failedStep + " failed on this shared cluster");
        }
    }

    @Override
    public synchronized void testFailed(ExtensionContext context, Throwable cause) {
        failedStep = context.getDisplayName();
        for (AutoCloseable r : resources) {
            if (r instanceof FaultCluster f) {
                f.markFailed();
            }
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
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
