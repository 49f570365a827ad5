package dev.rollcall.projection;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Locale;

/**
 * One build of a projection into its own tables. {@code LIVE}: the readers' views point at it; {@code BUILDING}:
 * folding from offset 0 beside the live one; {@code RETIRED}: replaced, its tables dropped soon after.
 *
 * @param rules   what rules it was folded with, in words, for the pages and for ops
 * @param loading still loading its history in bulk: caught up, it folds it once and is then like any other
 */
@RegisterForReflection
public record Generation(String projection, int generation, Status status, int codeVersion, String rules,
                         Instant createdAt, Instant liveAt, Instant retiredAt, boolean loading) {

    public enum Status {
        BUILDING, LIVE, RETIRED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public boolean active() {
        return status != Status.RETIRED;
    }
}
