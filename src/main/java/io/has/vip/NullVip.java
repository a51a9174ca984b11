package io.has.vip;

/** No VIP configured: every call does nothing. */
public final class NullVip implements Vip {

    /** The shared instance. */
    public static final NullVip INSTANCE = new NullVip();

    private NullVip() {
    }

    @Override
    public void acquire() {
    }

    @Override
    public void release() {
    }

    @Override
    public boolean isHeld() {
        return false;
    }

    @Override
    public boolean reconcile(boolean shouldHold) {
        return false;
    }

    @Override
    public String describe() {
        return "none";
    }
}
