package io.has.api;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Patroni's {@code parse_schedule} for scheduled restarts and switchovers: no timezone is 400, a time in
 * the past 422, anything unparsable 422. Accepts ISO 8601 with {@code T} or a space, with an offset, a
 * {@code Z} or a zone id ({@code 2026-11-21T20:00+01:00}, {@code 2026-11-21 19:00:00Z}).
 */
final class Schedules {

    static final String UNPARSABLE =
            "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601";

    private Schedules() {
    }

    /**
     * @param value  the request's value
     * @param action {@code restart}, {@code switchover} or {@code failover} (used in messages)
     * @param now    the wall clock
     * @throws HttpError with Patroni's status and message when the value is not a usable future time
     */
    static OffsetDateTime parse(Object value, String action, OffsetDateTime now) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw HttpError.message(422, UNPARSABLE);
        }
        String t = text.strip().replace(' ', 'T');
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(t);
        } catch (DateTimeParseException e) {
            try {
                at = ZonedDateTime.parse(t).toOffsetDateTime();
            } catch (DateTimeParseException e2) {
                try {
                    LocalDateTime.parse(t);
                } catch (DateTimeParseException e3) {
                    throw HttpError.message(422, UNPARSABLE);
                }
                throw HttpError.message(400, "Timezone information is mandatory for the scheduled " + action);
            }
        }
        if (at.isBefore(now)) {
            throw HttpError.message(422, "Cannot schedule " + action + " in the past");
        }
        return at;
    }
}
