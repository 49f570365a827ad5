package dev.rollcall.ingest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body announced (by {@code Content-Length}) as larger than its endpoint's limit with a problem+json
 * 413 that says so, before it is read: 64 KiB for work-tracing reports, 1 MiB for agent batches. A chunked
 * body past {@code quarkus.http.limits.max-body-size} is still cut off by the HTTP layer, with a bare 413.
 */
@ApplicationScoped
public class BodySizeFilter {

    private final long reportLimit;
    private final long batchLimit;

    public BodySizeFilter(IngestConfig config) {
        this.reportLimit = config.limits().workTracingBody().asLongValue();
        this.batchLimit = config.limits().agentBatchBody().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedBodies);
    }

    void refuseOversizedBodies(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        long limit = rc.request().path().startsWith("/api/agent/") ? batchLimit : reportLimit;
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    String detail = "the body is larger than " + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : (limit >> 10) + " KiB");
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
