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
import java.util.Optional;

/**
 * A site's week (ISO, Monday to Sunday, {@code ?date=} any day in it) and month ({@code ?month=YYYY-MM}, or
 * {@code ?date=} any day in it) as a grid of users × days: pages, JSON and CSV.
 */
@Path("/")
@RolesAllowed(Role.VIEWER_NAME)  // pages name people (as pseudonyms unless hr reveals them)
public class PeriodResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance period(PeriodReport report);
    }

    private final WorkstationReadModel readModel;
    private final AgentsReadModel agents;
    private final ReportConfig config;
    private final Clock clock;

    public PeriodResource(WorkstationReadModel readModel, AgentsReadModel agents, ReportConfig config, Clock clock) {
        this.readModel = readModel;
        this.agents = agents;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Path("week")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> weekPage(@QueryParam("site") String site, @QueryParam("date") String date) {
        return weekJson(site, date).map(Templates::period);
    }

    @GET
    @Path("month")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> monthPage(@QueryParam("site") String site, @QueryParam("month") String month,
                                           @QueryParam("date") String date) {
        return monthJson(site, month, date).map(Templates::period);
    }

    @GET
    @Path("api/workstation/week")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PeriodReport> weekJson(@QueryParam("site") String site, @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        return report(s, week(s, date));
    }

    @GET
    @Path("api/workstation/month")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PeriodReport> monthJson(@QueryParam("site") String site, @QueryParam("month") String month,
                                       @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        return report(s, month(s, month, date));
    }

    @GET
    @Path("week.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> weekCsv(@QueryParam("site") String site, @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        return csv(s, week(s, date));
    }

    @GET
    @Path("month.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> monthCsv(@QueryParam("site") String site, @QueryParam("month") String month,
                                  @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        return csv(s, month(s, month, date));
    }

    private ReportRange week(Site s, String date) {
        return ReportRange.weekOf(ReportQuery.dateOrToday("date", date, s.today(clock)));
    }

    private ReportRange month(Site s, String month, String date) {
        return ReportQuery.month(month, date, s.today(clock));
    }

    private Uni<PeriodReport> report(Site s, ReportRange range) {
        Instant now = clock.instant();
        LocalDate today = s.today(clock);
        return readModel.userDays(s, range, Optional.empty(), now)
                .map(days -> PeriodReport.of(s, range, today, now, days))
                .flatMap(report -> readModel.rules(s).map(report::withRules))
                .flatMap(r -> agents.coverage(r.site(), r.zone(), range.from(), range.to(), now).map(r::withCoverage));
    }

    private Uni<Response> csv(Site s, ReportRange range) {
        return readModel.userDays(s, range, Optional.empty(), clock.instant())
                .map(days -> WorkstationCsv.download(s, range, days));
    }
}
