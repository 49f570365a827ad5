package dev.rollcall.report;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Administration, for {@code admin} only: the roster (sites, employees, devices) and sign-in accounts. Every roster
 * change is a roster event appended with acks=all (projection-service folds it into the roster views this page
 * reads, a moment later). Every field is checked before anything is written; a wrong one is shown next to the
 * field with what was typed, and nothing is written. Forms carry the session's CSRF token.
 */
@Path("/admin")
@RolesAllowed(Role.ADMIN_NAME)
public class AdminResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance admin(AdminView view);

        static native TemplateInstance audit(List<AuditTrail.Reveal> reveals, int limit);
    }

    static final int AUDIT_LIMIT = 200;

    private final Pool pool;
    private final Pseudonyms pseudonyms;
    private final Accounts accounts;
    private final AuditLog log;
    private final Sessions sessions;
    private final Clock clock;
    private final AuditTrail trail;

    public AdminResource(Pool pool, Pseudonyms pseudonyms, Accounts accounts, AuditLog log, Sessions sessions, Clock clock,
                         AuditTrail trail) {
        this.trail = trail;
        this.pool = pool;
        this.pseudonyms = pseudonyms;
        this.accounts = accounts;
        this.log = log;
        this.sessions = sessions;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@QueryParam("done") String done) {
        return view(AdminForm.none(done == null || done.length() > 200 ? null : done)).map(Templates::admin);
    }

    @GET
    @Path("audit")
    @Produces(MediaType.TEXT_HTML)
    @io.smallrye.common.annotation.Blocking
    public TemplateInstance audit() {
        return Templates.audit(trail.latest(AUDIT_LIMIT), AUDIT_LIMIT);
    }

    static final String AUDIT_HEADER = "at,account,site,page,period";

    /** The audit trail as CSV, the same rows as its page: accounts are sign-in names, never employees. */
    @GET
    @Path("audit.csv")
    @Produces(Csv.MEDIA_TYPE)
    @io.smallrye.common.annotation.Blocking
    public Response auditCsv() {
        Csv csv = Csv.withHeader((Object[]) AUDIT_HEADER.split(","));
        trail.latest(AUDIT_LIMIT).forEach(r -> csv.row(r.at(), r.viewer(), r.site(), r.page(), r.period()));
        return csv.download("rollcall-audit.csv");
    }

    @POST
    @Path("sites")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> site(@FormParam("csrf") String csrf, @FormParam("site") String site, @FormParam("name") String name,
                              @FormParam("zone") String zone, @FormParam("grace") String grace,
                              @FormParam("autoTimeout") String autoTimeout, @FormParam("realWorkBlock") String realWorkBlock,
                              @FormParam("edit") String edit, @Context SecurityContext security) {
        AdminForm form = AdminForm.of("site", edit).with("site", site).with("name", name).with("zone", zone).with("grace", grace)
                .with("autoTimeout", autoTimeout).with("realWorkBlock", realWorkBlock);
        ZoneId z = null;
        try {
            z = ZoneId.of(zone == null ? "" : zone.strip());
        } catch (DateTimeException e) {
            form.error("zone", "an IANA time zone such as Europe/Berlin");
        }
        int minutes = whole(form, "grace", grace, 5, 0, 1440);
        // empty: the site keeps projection-service's configured workstation rules
        Integer timeoutMinutes = blankOr(autoTimeout, () -> whole(form, "autoTimeout", autoTimeout, 0, 1, SiteConfigured.MAX_RULE_MINUTES));
        Integer blockMinutes = blankOr(realWorkBlock, () -> whole(form, "realWorkBlock", realWorkBlock, 0, 1, SiteConfigured.MAX_RULE_MINUTES));
        ZoneId fz = z;
        return write(form, csrf, security, site, site, () -> new SiteConfigured(name, fz, minutes, timeoutMinutes, blockMinutes),
                "site " + site + " configured");
    }

    @POST
    @Path("employees")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> employee(@FormParam("csrf") String csrf, @FormParam("site") String site, @FormParam("employeeId") String id,
                                  @FormParam("name") String name, @FormParam("active") String active,
                                  @FormParam("workstationUsers") String workstationUsers,
                                  @FormParam("staffTraceIds") String staffTraceIds,
                                  @FormParam("edit") String edit, @Context SecurityContext security) {
        AdminForm form = AdminForm.of("employee", edit).with("site", site).with("employeeId", id).with("name", name)
                .with("active", active).with("workstationUsers", workstationUsers).with("staffTraceIds", staffTraceIds);
        boolean isActive = active == null || !active.equals("false");
        List<String> users = workstationUsers(workstationUsers);
        List<String> staffTrace = workstationUsers(staffTraceIds);
        // empty keeps a known employee's name: the edit form cannot show it until names are revealed
        Uni<String> kept = name != null && !name.isBlank() || blank(site) || blank(id) ? Uni.createFrom().item(name)
                : pool.preparedQuery("SELECT name FROM roster_employee WHERE site = $1 AND employee_id = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(site.strip(), id.strip())).map(rows -> {
                    String current = rows.size() == 0 ? null : rows.iterator().next().getString("name");
                    return REMOVED.equals(current) ? null : current;
                });
        return kept.chain(n -> write(form, csrf, security, site, id, () -> new EmployeeUpdated(id, n, isActive, users, staffTrace),
                "employee " + (id == null ? "" : id.strip()) + (isActive ? " saved" : " deactivated")));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The form to edit a site, filled with its stored values; the site id is the key and stays. */
    @GET
    @Path("sites/{site}/edit")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> editSite(@PathParam("site") String site) {
        AdminForm form = AdminForm.editOf("site").with("site", site);
        return pool.preparedQuery("SELECT name, zone, presence_grace_minutes, auto_timeout_minutes, real_work_block_minutes "
                + "FROM roster_site WHERE site = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(site)).chain(rows -> {
                    if (rows.size() == 0) {
                        return unknown("site", "site", "no such site: nothing to edit; add it with the form below");
                    }
                    Row r = rows.iterator().next();
                    form.with("name", r.getString("name")).with("zone", r.getString("zone"))
                            .with("grace", String.valueOf(r.getInteger("presence_grace_minutes")))
                            .with("autoTimeout", text(r.getInteger("auto_timeout_minutes")))
                            .with("realWorkBlock", text(r.getInteger("real_work_block_minutes")));
                    return edit(form);
                });
    }

    /**
     * The form to edit an employee, filled with their stored values. Their name and workstation user names are
     * personal: filled in only in a revealed request, as the page shows them; left empty, saving keeps them.
     */
    @GET
    @Path("employees/{id}/edit")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> editEmployee(@PathParam("id") String id, @QueryParam("site") String site) {
        AdminForm form = AdminForm.editOf("employee").with("site", site).with("employeeId", id);
        if (blank(site)) {
            return unknown("employee", "site", "the site's id is required");
        }
        var key = io.vertx.mutiny.sqlclient.Tuple.of(site, id);
        return Uni.combine().all().unis(
                pool.preparedQuery("SELECT name, active FROM roster_employee WHERE site = $1 AND employee_id = $2").execute(key),
                pool.preparedQuery("SELECT username FROM roster_workstation_user WHERE site = $1 AND employee_id = $2 ORDER BY username")
                        .execute(key),
                pool.preparedQuery("SELECT stafftrace_id FROM roster_stafftrace_id WHERE site = $1 AND employee_id = $2 "
                        + "ORDER BY stafftrace_id").execute(key)).asTuple().chain(t -> {
                    Row e = t.getItem1().size() == 0 ? null : t.getItem1().iterator().next();
                    if (e == null || REMOVED.equals(e.getString("name"))) {
                        return unknown("employee", "employeeId", "no such employee at " + site + ": nothing to edit");
                    }
                    boolean real = pseudonyms.showsRealNames();
                    form.with("name", real ? e.getString("name") : "").with("active", String.valueOf(e.getBoolean("active")))
                            .with("workstationUsers", real ? joined(t.getItem2(), "username") : "")
                            .with("staffTraceIds", joined(t.getItem3(), "stafftrace_id"));
                    return edit(form);
                });
    }

    /** The form to edit a device's assignment (its employee, its label: filled in only in a revealed request). */
    @GET
    @Path("devices/{mac}/edit")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> editDevice(@PathParam("mac") String mac, @QueryParam("site") String site) {
        AdminForm form = AdminForm.editOf("device").with("site", site).with("mac", mac);
        if (blank(site)) {
            return unknown("device", "site", "the site's id is required");
        }
        return pool.preparedQuery("SELECT mac, employee_id, label FROM roster_device_assignment "
                        + "WHERE site = $1 AND mac = $2 AND valid_to IS NULL")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(site, mac.strip().toLowerCase(java.util.Locale.ROOT))).chain(rows -> {
                    if (rows.size() == 0) {
                        return unknown("device", "mac", "no device assigned with this address at " + site + ": nothing to edit");
                    }
                    Row r = rows.iterator().next();
                    String label = pseudonyms.deviceLabel(r.getString("label"));
                    form.with("mac", r.getString("mac")).with("employeeId", r.getString("employee_id"))
                            .with("label", label == null ? "" : label);
                    return edit(form);
                });
    }

    private Uni<Response> edit(AdminForm form) {
        return view(form).map(v -> Response.ok(Templates.admin(v)).type(MediaType.TEXT_HTML_TYPE).build());
    }

    /** An edit of something the roster does not have: 404, the add form with what was asked for and why. */
    private Uni<Response> unknown(String formName, String field, String message) {
        AdminForm form = AdminForm.of(formName);
        form.error(field, message);
        return view(form).map(v -> Response.status(404).entity(Templates.admin(v)).type(MediaType.TEXT_HTML_TYPE).build());
    }

    private static String text(Integer minutes) {
        return minutes == null ? "" : minutes.toString();
    }

    private static String joined(RowSet<Row> rows, String column) {
        List<String> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.getString(column)));
        return String.join(", ", values);
    }

    @POST
    @Path("employees/deactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> deactivate(@FormParam("csrf") String csrf, @FormParam("site") String site,
                                    @FormParam("employeeId") String id, @Context SecurityContext security) {
        AdminForm form = AdminForm.of("deactivate").with("site", site).with("employeeId", id);
        return pool.preparedQuery("SELECT name FROM roster_employee WHERE site = $1 AND employee_id = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(site, id)).chain(rows -> {
                    String name = rows.size() == 0 ? null : rows.iterator().next().getString("name");
                    if (name == null) {
                        form.error("employeeId", "no such employee at this site");
                    }
                    return write(form, csrf, security, site, id, () -> new EmployeeUpdated(id, name, false), "employee " + id + " deactivated");
                });
    }

    /**
     * Removes an employee from the pages: renamed to "(removed)", deactivated, every device released, as roster events
     * (all acknowledged before the answer). Their attendance history stays, under their pseudonym; the name stays in
     * the roster topic's past events (erasing it from the log needs an EmployeeRemoved event and topic-level erasure).
     */
    @POST
    @Path("employees/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> remove(@FormParam("csrf") String csrf, @FormParam("site") String site,
                                @FormParam("employeeId") String id, @Context SecurityContext security) {
        AdminForm form = AdminForm.of("deactivate").with("site", site).with("employeeId", id);
        if (!csrfOk(csrf, security)) {
            return Uni.createFrom().item(csrfRefused());
        }
        if (site == null || site.isBlank()) {
            form.error("employeeId", "the site's id is required");
            return refused(form);
        }
        return checkExists(form, site, id, false).chain(() -> form.failed() ? refused(form)
                : pool.preparedQuery("SELECT mac FROM roster_device_assignment WHERE site = $1 AND employee_id = $2 AND valid_to IS NULL")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(site, id)).chain(rows -> {
                    List<EventEnvelope> events = new ArrayList<>();
                    String admin = "report-service/admin/" + security.getUserPrincipal().getName();
                    java.time.Instant now = clock.instant();
                    try {
                        events.add(EventEnvelope.of(UUID.randomUUID(), admin, now, site, id,
                                new EmployeeUpdated(id, REMOVED, false, List.of(), List.of())));
                        for (Row r : rows) {
                            events.add(EventEnvelope.of(UUID.randomUUID(), admin, now, site, r.getString("mac"),
                                    new DeviceReleased(r.getString("mac"))));
                        }
                    } catch (IllegalArgumentException | NullPointerException e) {
                        form.error("employeeId", e.getMessage() == null ? "required" : e.getMessage());
                        return refused(form);
                    }
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (EventEnvelope e : events) {
                        all = all.chain(() -> log.append(e));
                    }
                    return all.replaceWith(redirect("employee " + id + " removed, " + (events.size() - 1) + " device(s) released"));
                }));
    }

    static final String REMOVED = "(removed)";

    /** The form's field typed to remove every workstation user name of an employee (empty leaves them as they are). */
    static final String NO_WORKSTATION_USERS = "-";

    /**
     * The employee form's comma-separated user names (and StaffTrace ids, read the same way): empty leaves the
     * employee's as they are (the form is not filled with them, so a rename must not drop them),
     * {@value #NO_WORKSTATION_USERS} removes them; the event checks each.
     */
    static List<String> workstationUsers(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        if (field.strip().equals(NO_WORKSTATION_USERS)) {
            return List.of();
        }
        List<String> users = new ArrayList<>();
        for (String u : field.split(",")) {
            if (!u.isBlank()) {
                users.add(u.strip());
            }
        }
        return users.isEmpty() ? null : users;  // only commas: as empty, never a silent removal
    }

    @POST
    @Path("devices")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> device(@FormParam("csrf") String csrf, @FormParam("site") String site, @FormParam("mac") String mac,
                                @FormParam("employeeId") String id, @FormParam("label") String label,
                                @FormParam("edit") String edit, @Context SecurityContext security) {
        AdminForm form = AdminForm.of("device", edit).with("site", site).with("mac", mac).with("employeeId", id).with("label", label);
        String[] randomised = {""};
        return checkExists(form, site, id, true).chain(() -> keptLabel(site, mac, id, label)).chain(l -> write(form, csrf, security, site, mac, () -> {
            DeviceAssigned a = new DeviceAssigned(mac, id, l);
            if (a.randomised()) {
                randomised[0] = " (a randomised address: the phone may show another one on another day; turn off its private address for this network)";
            }
            return a;
        }, null)).map(r -> r.getStatus() == 303 ? redirect("device " + (mac == null ? "" : mac.strip().toLowerCase())
                + " assigned to " + (id == null ? "" : id.strip()) + randomised[0]) : r);
    }

    /** The form's field typed to remove a device's label (empty keeps it while the device stays with the same employee). */
    static final String NO_LABEL = "-";

    /**
     * The label to assign: {@value #NO_LABEL} none; empty, the device's current one if it stays with the same employee
     * (the edit form cannot show a label until names are revealed, and a label may name its owner, so it never
     * follows the device to someone else); else what was typed.
     */
    private Uni<String> keptLabel(String site, String mac, String id, String label) {
        if (label != null && label.strip().equals(NO_LABEL)) {
            return Uni.createFrom().nullItem();
        }
        if (!blank(label) || blank(site) || blank(mac) || blank(id)) {
            return Uni.createFrom().item(label);
        }
        return pool.preparedQuery("SELECT label FROM roster_device_assignment WHERE site = $1 AND mac = $2 AND employee_id = $3 "
                        + "AND valid_to IS NULL")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(site.strip(), mac.strip().toLowerCase(java.util.Locale.ROOT), id.strip()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("label"));
    }

    /**
     * Marks the form when the site is not configured (no row under Sites; only when {@code site} is asked for) or
     * when the site has no such employee (or only a removed one). Blank fields are left to the event's own checks.
     */
    private Uni<Void> checkExists(AdminForm form, String site, String id, boolean askSite) {
        if (site == null || site.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        String s = site.strip();
        Uni<Boolean> siteKnown = !askSite ? Uni.createFrom().item(true)
                : pool.preparedQuery("SELECT 1 FROM roster_site WHERE site = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(s))
                .map(rows -> rows.size() > 0);
        return siteKnown.chain(known -> {
            if (!known) {
                form.error("site", "no such site: configure it under Sites first");
            }
            if (id == null || id.isBlank()) {
                return Uni.createFrom().voidItem();
            }
            return pool.preparedQuery("SELECT name FROM roster_employee WHERE site = $1 AND employee_id = $2")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(s, id.strip())).map(rows -> {
                        if (rows.size() == 0 || REMOVED.equals(rows.iterator().next().getString("name"))) {
                            form.error("employeeId", "no such employee at " + s + ": add them under Employees first");
                        }
                        return null;
                    });
        });
    }

    @POST
    @Path("devices/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> release(@FormParam("csrf") String csrf, @FormParam("site") String site, @FormParam("mac") String mac,
                                 @Context SecurityContext security) {
        AdminForm form = AdminForm.of("release").with("site", site).with("mac", mac);
        return write(form, csrf, security, site, mac, () -> new DeviceReleased(mac), "device " + mac + " released");
    }

    @POST
    @Path("accounts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> account(@FormParam("csrf") String csrf, @FormParam("username") String username,
                                 @FormParam("role") String role, @FormParam("password") String password,
                                 @Context SecurityContext security) {
        AdminForm form = AdminForm.of("account").with("username", username).with("role", role);
        if (!csrfOk(csrf, security)) {
            return Uni.createFrom().item(csrfRefused());
        }
        String name = username == null ? "" : username.strip().toLowerCase();
        String nameProblem = Accounts.usernameProblem(name);
        if (nameProblem != null) {
            form.error("username", nameProblem);
        }
        Role r = null;
        try {
            r = Role.fromWire(role);
        } catch (IllegalArgumentException e) {
            form.error("role", e.getMessage());
        }
        String weak = PasswordHash.weakness(password);
        if (weak != null) {
            form.error("password", weak);
        }
        if (form.failed()) {
            return refused(form);
        }
        return accounts.create(name, r, password, security.getUserPrincipal().getName()).chain(created -> {
            if (!created) {
                form.error("username", "this account exists already");
                return refused(form);
            }
            return Uni.createFrom().item(redirect("account " + name + " created"));
        });
    }

    /** Checks the form's token and the event's fields, then appends the event (acks=all) and goes back to the page. */
    private Uni<Response> write(AdminForm form, String csrf, SecurityContext security, String site, String subject,
                                Supplier<RollcallEvent> event, String done) {
        if (!csrfOk(csrf, security)) {
            return Uni.createFrom().item(csrfRefused());
        }
        EventEnvelope envelope = null;
        if (site == null || site.isBlank()) {
            form.error("site", "the site's id is required");
        }
        try {
            RollcallEvent data = event.get();
            if (!form.failed()) {
                envelope = EventEnvelope.of(UUID.randomUUID(), "report-service/admin/" + security.getUserPrincipal().getName(),
                        clock.instant(), site.strip(), subject(data, subject), data);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = e.getMessage() == null ? "required" : e.getMessage();
            String field = message.split(" ", 2)[0];
            form.error(switch (field) {
                case "presenceGraceMinutes" -> "grace";
                case "autoTimeoutMinutes" -> "autoTimeout";
                case "realWorkBlockMinutes" -> "realWorkBlock";
                case "zone" -> "zone";
                case "site", "name", "mac", "employeeId", "label", "workstationUsers", "staffTraceIds" -> field;
                default -> "site";
            }, message);
        }
        if (form.failed() || envelope == null) {
            return refused(form);
        }
        return log.append(envelope).replaceWith(done == null ? redirect("") : redirect(done));
    }

    private static String subject(RollcallEvent data, String subject) {
        return switch (data) {
            case DeviceAssigned a -> a.mac();
            case DeviceReleased r -> r.mac();
            default -> subject == null ? "" : subject.strip();
        };
    }

    private boolean csrfOk(String csrf, SecurityContext security) {
        return security.getUserPrincipal() instanceof JsonWebToken jwt && sessions.sameToken(sessions.csrfToken(jwt), csrf);
    }

    private static Response csrfRefused() {
        return ProblemMapper.problem(403, "Forbidden", "the form did not come from this site (missing or wrong CSRF token); reload the page");
    }

    private Uni<Response> refused(AdminForm form) {
        return view(form).map(v -> Response.status(400).entity(Templates.admin(v)).type(MediaType.TEXT_HTML_TYPE).build());
    }

    private static Response redirect(String done) {
        return Response.seeOther(URI.create("/admin" + (done.isEmpty() ? "" : "?done=" + URLEncoder.encode(done, StandardCharsets.UTF_8)))).build();
    }

    private static Integer blankOr(String value, Supplier<Integer> parsed) {
        return value == null || value.isBlank() ? null : parsed.get();
    }

    private static int whole(AdminForm form, String field, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        form.error(field, "a whole number of minutes from " + min + " to " + max);
        return dflt;
    }

    private Uni<AdminView> view(AdminForm form) {
        return Uni.combine().all().unis(
                pool.query("SELECT site, name, zone, presence_grace_minutes, auto_timeout_minutes, real_work_block_minutes "
                        + "FROM roster_site ORDER BY site").execute(),
                pool.query("SELECT site, employee_id, name, active FROM roster_employee ORDER BY site, employee_id").execute(),
                pool.query("SELECT site, mac, employee_id, label, randomised, valid_from FROM roster_device_assignment "
                        + "WHERE valid_to IS NULL ORDER BY site, mac").execute(),
                accounts.list(),
                pool.query(ReadModelSql.liveRules("workstation-day")).execute(),
                pool.query("SELECT site, employee_id, username FROM roster_workstation_user ORDER BY site, employee_id, username")
                        .execute(),
                pool.query("SELECT site, employee_id, stafftrace_id FROM roster_stafftrace_id ORDER BY site, employee_id, stafftrace_id")
                        .execute()).asTuple().map(t -> {
            // StaffTrace's ids are numbers or codes of its own, not names: shown as they are
            java.util.Map<String, List<String>> staffTrace = new java.util.HashMap<>();
            for (Row r : t.getItem7()) {
                staffTrace.computeIfAbsent(r.getString("site") + "/" + r.getString("employee_id"), k -> new ArrayList<>())
                        .add(r.getString("stafftrace_id"));
            }
            java.util.Map<String, List<String>> users = new java.util.HashMap<>();
            for (Row r : t.getItem6()) {
                users.computeIfAbsent(r.getString("site") + "/" + r.getString("employee_id"), k -> new ArrayList<>())
                        .add(pseudonyms.user(r.getString("site"), r.getString("username")));
            }
            List<AdminView.SiteRow> sites = new ArrayList<>();
            for (Row r : t.getItem1()) {
                sites.add(new AdminView.SiteRow(r.getString("site"), r.getString("name"), r.getString("zone"),
                        r.getInteger("presence_grace_minutes"), r.getInteger("auto_timeout_minutes"),
                        r.getInteger("real_work_block_minutes")));
            }
            List<AdminView.EmployeeRow> employees = new ArrayList<>();
            java.util.Map<String, Employee> byId = new java.util.HashMap<>();
            for (Row r : t.getItem2()) {
                Employee e = pseudonyms.employee(r.getString("site"), r.getString("employee_id"), r.getString("name"));
                byId.put(r.getString("site") + "/" + r.getString("employee_id"), e);
                employees.add(new AdminView.EmployeeRow(r.getString("site"), r.getString("employee_id"), e, r.getBoolean("active"),
                        users.getOrDefault(r.getString("site") + "/" + r.getString("employee_id"), List.of()),
                        staffTrace.getOrDefault(r.getString("site") + "/" + r.getString("employee_id"), List.of()),
                        REMOVED.equals(r.getString("name"))));
            }
            List<AdminView.DeviceRow> devices = new ArrayList<>();
            RowSet<Row> rows = t.getItem3();
            for (Row r : rows) {
                String key = r.getString("site") + "/" + r.getString("employee_id");
                devices.add(new AdminView.DeviceRow(r.getString("site"), r.getString("mac"), r.getString("employee_id"),
                        byId.getOrDefault(key, pseudonyms.employee(r.getString("site"), r.getString("employee_id"), null)),
                        pseudonyms.deviceLabel(r.getString("label")), r.getBoolean("randomised"),
                        r.getOffsetDateTime("valid_from").toInstant()));
            }
            return new AdminView(sites, employees, devices, t.getItem4(), form,
                    AdminView.WorkstationDefaults.of(t.getItem5().size() == 0 ? null : t.getItem5().iterator().next().getString("rules")));
        });
    }
}
