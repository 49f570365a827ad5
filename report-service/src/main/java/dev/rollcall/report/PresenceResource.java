package dev.rollcall.report;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * Attendance from network presence, per site ({@code ?site=}, the configured one by default): who is here now,
 * a day ({@code ?date=YYYY-MM-DD}, today by default), a month ({@code ?month=YYYY-MM}, or {@code ?date=} any
 * day in it) and the latest arrivals; each page's data as JSON under {@code /api/presence/}, day and month as
 * CSV (and now, {@code /presence.csv}). Days are local to the site's zone as the roster configured it.
 */
@Path("/")
@RolesAllowed(Role.VIEWER_NAME)  // pages name people (as pseudonyms unless hr reveals them)
public class PresenceResource {

    /** How far back the arrivals page looks before today, and how many of those earlier arrivals it lists. */
    static final int EARLIER_ARRIVAL_DAYS = 6;
    static final int EARLIER_ARRIVALS = 20;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance now(PresenceNow report);

        static native TemplateInstance day(PresenceDay report);

        static native TemplateInstance month(PresenceMonth report);

        static native TemplateInstance arrivals(Arrivals report);
    }

    private final PresenceReadModel readModel;
    private final StaffTraceNow staffTrace;
    private final ReportConfig config;
    private final Clock clock;

    public PresenceResource(PresenceReadModel readModel, StaffTraceNow staffTrace, ReportConfig config, Clock clock) {
        this.readModel = readModel;
        this.staffTrace = staffTrace;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Path("presence")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> nowPage(@QueryParam("site") String site) {
        return nowJson(site).map(Templates::now);
    }

    @GET
    @Path("api/presence/now")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PresenceNow> nowJson(@QueryParam("site") String site) {
        Site configured = ReportQuery.site(site, config);
        Instant now = clock.instant();
        return readModel.coverage(configured, s -> ReportRange.day(s.today(clock)), now)
                .flatMap(coverage -> readModel.now(configured, now, coverage))
                .flatMap(staffTrace::addTo);  // who StaffTrace's fresh heartbeat lists present
    }

    @GET
    @Path("presence.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> nowCsv(@QueryParam("site") String site) {
        return nowJson(site).map(PresenceCsv::now);
    }

    @GET
    @Path("presence/day")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> dayPage(@QueryParam("site") String site, @QueryParam("date") String date) {
        return dayJson(site, date).map(Templates::day);
    }

    @GET
    @Path("api/presence/day")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PresenceDay> dayJson(@QueryParam("site") String site, @QueryParam("date") String date) {
        Site configured = ReportQuery.site(site, config);
        Instant now = clock.instant();
        Function<RosterSite, LocalDate> day = s -> ReportQuery.dateOrToday("date", date, s.today(clock));
        return readModel.coverage(configured, s -> ReportRange.day(day.apply(s)), now)
                .flatMap(coverage -> readModel.day(configured, day, now, coverage));
    }

    @GET
    @Path("presence/day.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> dayCsv(@QueryParam("site") String site, @QueryParam("date") String date) {
        return dayJson(site, date).map(PresenceCsv::day);
    }

    @GET
    @Path("presence/month")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> monthPage(@QueryParam("site") String site, @QueryParam("month") String month,
                                           @QueryParam("date") String date) {
        return monthJson(site, month, date).map(Templates::month);
    }

    @GET
    @Path("api/presence/month")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PresenceMonth> monthJson(@QueryParam("site") String site, @QueryParam("month") String month,
                                        @QueryParam("date") String date) {
        Site configured = ReportQuery.site(site, config);
        Instant now = clock.instant();
        Function<RosterSite, ReportRange> range = s -> ReportQuery.month(month, date, s.today(clock));
        return readModel.coverage(configured, range, now)
                .flatMap(coverage -> readModel.month(configured, range, now, coverage));
    }

    @GET
    @Path("presence/month.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> monthCsv(@QueryParam("site") String site, @QueryParam("month") String month,
                                  @QueryParam("date") String date) {
        return monthJson(site, month, date).map(PresenceCsv::month);
    }

    @GET
    @Path("presence/arrivals")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> arrivalsPage(@QueryParam("site") String site) {
        return arrivalsJson(site).map(Templates::arrivals);
    }

    @GET
    @Path("presence/arrivals.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> arrivalsCsv(@QueryParam("site") String site) {
        return arrivalsJson(site).map(PresenceCsv::arrivals);
    }

    @GET
    @Path("api/presence/arrivals")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Arrivals> arrivalsJson(@QueryParam("site") String site) {
        Site configured = ReportQuery.site(site, config);
        Instant now = clock.instant();
        return readModel.coverage(configured, s -> ReportRange.day(s.today(clock)), now)
                .flatMap(coverage -> readModel.arrivals(configured, now, EARLIER_ARRIVAL_DAYS, EARLIER_ARRIVALS, coverage));
    }
}
