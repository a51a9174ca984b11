package io.has.action;

/** Result of performing one decision: done, scheduled as a long action, or failed with a reason. */
public record Outcome(boolean ok, String message) {

    public static final Outcome DONE = new Outcome(true, null);

    public static Outcome failed(String message) {
        return new Outcome(false, message);
    }
}
