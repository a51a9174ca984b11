package io.has.cluster;

/** Physical replication slot names derived from member names, as Patroni derives them. */
public final class SlotNames {

    private SlotNames() {
    }

    /**
     * Lower-cases the name, maps {@code -} and {@code .} to {@code _}, any other character outside
     * {@code [a-z0-9_]} to {@code u%04x}, and truncates to 63 characters.
     */
    public static String forMember(String member) {
        StringBuilder b = new StringBuilder();
        for (char c : member.toLowerCase().toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                b.append(c);
            } else if (c == '-' || c == '.') {
                b.append('_');
            } else {
                b.append(String.format("u%04x", (int) c));
            }
        }
        return b.length() > 63 ? b.substring(0, 63) : b.toString();
    }
}
