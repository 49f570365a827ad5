package dev.rollcall.ingest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error as {@code application/problem+json} (RFC 9457). The body also carries work-tracing's
 * {@code success: false} and {@code message}, so that client and problem-aware callers both understand it.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return problem(400, "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidBatch(InvalidBatchException e) {
        Response r = problem(400, "Invalid events", e.getMessage());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.getEntity();
        body.put("errors", e.errors().stream().map(err -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", err.index());
            m.put("id", err.id());
            m.put("message", err.message());
            return m;
        }).toList());
        return r;
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthenticatedException e) {
        return Response.fromResponse(problem(401, "Unauthorized", e.getMessage()))
                .header("WWW-Authenticate", "Bearer realm=\"rollcall-agents\"").build();
    }

    @ServerExceptionMapper
    public Response foreignSite(ForeignSiteException e) {
        return problem(403, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(EventLogUnavailableException e) {
        LOG.warnf("event not acknowledged by Kafka: %s", e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return problem(503, "Event log unavailable", "the event could not be stored right now; retry later");
    }

    @ServerExceptionMapper
    public Response refused(ProblemException e) {
        Response.Status s = Response.Status.fromStatusCode(e.status());
        return problem(e.status(), s == null ? "Refused" : s.getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooMany(TooManyAttemptsException e) {
        return Response.fromResponse(problem(429, "Too Many Requests", e.getMessage()))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response credentialStore(CredentialStoreUnavailableException e) {
        LOG.warnf("credential store (PostgreSQL) unavailable: %s", e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return Response.fromResponse(problem(503, "Credential store unavailable",
                "agents and enrollment cannot be checked right now; retry later")).header("Retry-After", 5).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed here";
            case 413 -> "the body is too large";
            case 415 -> "unsupported content type";
            default -> e.getMessage();
        };
        return problem(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), detail);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return problem(500, "Internal error", "something went wrong on the server; nothing was stored");
    }

    static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("success", false);
        body.put("message", detail);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
