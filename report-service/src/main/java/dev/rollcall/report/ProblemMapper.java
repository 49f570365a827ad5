package dev.rollcall.report;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
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

    /**
     * No session, or one that is tampered with, expired or from another issuer: a browser asking for a page goes to
     * the sign-in form (and loses the bad cookie), everything else gets a 401 problem.
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, HttpHeaders headers, UriInfo uri) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        String path = uri.getRequestUri().getRawPath();
        boolean page = accept != null && accept.contains("text/html") && !path.startsWith("/api/") && !path.endsWith(".csv");
        boolean hadSession = headers.getCookies().containsKey(Sessions.COOKIE);
        if (page) {
            String query = uri.getRequestUri().getRawQuery();
            String next = java.net.URLEncoder.encode(path + (query == null ? "" : "?" + query), java.nio.charset.StandardCharsets.UTF_8);
            Response.ResponseBuilder r = Response.seeOther(java.net.URI.create("/signin?next=" + next)).header("Cache-Control", "no-store");
            if (hadSession) {
                r.header("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            }
            return r.build();
        }
        return Response.fromResponse(problem(401, "Unauthorized", hadSession || headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null
                        ? "the session or token is not valid (expired, altered or from another issuer): sign in again"
                        : "sign in first (a session cookie from /signin, or Authorization: Bearer from POST /api/token)"))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "Forbidden", "your role may not see this");
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
