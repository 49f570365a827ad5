package dev.rollcall.report;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Who is looking, for the layout: name and role, the CSRF token of their forms, and the links that reveal or hide
 * real names on the current page. Only used on pages that required a session, so the identity is already known.
 */
@Named("viewer")
@RequestScoped
public class Viewer {

    private final SecurityIdentity identity;
    private final Sessions sessions;
    private final HttpServerRequest request;

    public Viewer(SecurityIdentity identity, Sessions sessions, HttpServerRequest request) {
        this.identity = identity;
        this.sessions = sessions;
        this.request = request;
    }

    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public String name() {
        return signedIn() ? identity.getPrincipal().getName() : "";
    }

    public String role() {
        return identity.hasRole(Role.ADMIN_NAME) ? Role.ADMIN_NAME : identity.hasRole(Role.HR_NAME) ? Role.HR_NAME
                : identity.hasRole(Role.VIEWER_NAME) ? Role.VIEWER_NAME : "";
    }

    public boolean mayReveal() {
        return identity.hasRole(Role.HR_NAME);
    }

    public boolean admin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    public boolean realNames() {
        return Disclosure.realNames();
    }

    public String csrf() {
        return identity.getPrincipal() instanceof JsonWebToken jwt ? sessions.csrfToken(jwt) : "";
    }

    /**
     * {@code &names=real} on a revealed page, else nothing: appended to the page's own links (other periods, views,
     * CSV, JSON, employees), so that following one keeps the names shown; each of those requests is a reveal of
     * its own, audited as such by {@link RevealFilter}.
     */
    public String keepNames() {
        return realNames() ? "&" + RevealFilter.PARAM + "=" + RevealFilter.REAL : "";
    }

    /** This page with {@code names=real}, or without it. */
    public String revealUrl() {
        return withNames(true);
    }

    public String hideUrl() {
        return withNames(false);
    }

    private String withNames(boolean real) {
        StringBuilder url = new StringBuilder(request.path());
        String sep = "?";
        for (var e : request.params().entries()) {
            if (!e.getKey().equals(RevealFilter.PARAM)) {
                url.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
                sep = "&";
            }
        }
        if (real) {
            url.append(sep).append(RevealFilter.PARAM).append('=').append(RevealFilter.REAL);
        }
        return url.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
