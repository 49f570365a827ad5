package dev.rollcall.report;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Whether this request may show real names: only after {@link RevealFilter} has appended the reveal to the audit
 * topic. Kept on the request's (duplicated) Vert.x context, which the read models' database callbacks share, so
 * that {@link Pseudonyms} can ask without every read model passing it along. Default, and outside a request: no.
 */
public final class Disclosure {

    private static final String KEY = "rollcall.real-names-revealed";

    private Disclosure() {
    }

    /** The request's context, taken before anything asynchronous: the audit's acknowledgement may arrive elsewhere. */
    static Context request() {
        Context c = Vertx.currentContext();
        if (c == null || !io.smallrye.common.vertx.VertxContext.isDuplicatedContext(c)) {
            throw new IllegalStateException("not on a request's context");
        }
        return c;
    }

    static void revealed(Context request) {
        request.putLocal(KEY, Boolean.TRUE);
    }

    public static boolean realNames() {
        Context c = Vertx.currentContext();
        if (c == null || !io.smallrye.common.vertx.VertxContext.isDuplicatedContext(c)) {
            return false;
        }
        return Boolean.TRUE.equals(c.getLocal(KEY));
    }
}
