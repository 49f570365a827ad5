package dev.rollcall.ingest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body announced (by {@code Content-Length}) as larger than the limit with a problem+json 413 that
 * says so, before it is read. A chunked body past the limit is still cut off by the HTTP layer, with a bare 413.
 */
@ApplicationScoped
public class BodySizeFilter {

    private final long limit;

    public BodySizeFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedBodies);
    }

    void refuseOversizedBodies(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    String detail = "the body is larger than " + (limit / 1024) + " KiB";
                    rc.response().setStatusCode(413)
                            .putHeader("Content-Type", "application/problem+json")
                            .putHeader("Connection", "close")
                            .end("{\"type\":\"about:blank\",\"title\":\"Payload Too Large\",\"status\":413,\"detail\":\""
                                    + detail + "\",\"success\":false,\"message\":\"" + detail + "\"}");
                    return;
                }
            } catch (NumberFormatException ignored) {
                // a malformed Content-Length is the HTTP layer's to refuse
            }
        }
        rc.next();
    }
}
