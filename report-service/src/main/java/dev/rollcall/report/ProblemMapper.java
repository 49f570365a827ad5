package dev.rollcall.report;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error as {@code application/problem+json} (RFC 9457), with a message that helps and leaks nothing. The
 * body also carries work-tracing's {@code success: false} and {@code message}, so that its clients understand it.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    @ServerExceptionMapper
    public Response invalid(InvalidQueryException e) {
        return problem(400, "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status s = Response.Status.fromStatusCode(status);
        return problem(status, s == null ? "Error" : s.getReasonPhrase(), status == 404 ? "no such page" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return problem(500, "Internal error", "something went wrong on the server");
    }

    static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("success", false);
        body.put("message", detail);
        // an answer to a bad request must not be kept and served again for a good one
        return Response.status(status).type(PROBLEM_JSON).header("Cache-Control", "no-store").entity(body).build();
    }
}
