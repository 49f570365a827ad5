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
 * A site's workstation day: the page at {@code /} and {@code /day}, its data at {@code /api/workstation/day},
 * its table at {@code /day.csv}. {@code ?date=YYYY-MM-DD} (today by default, local to the site), {@code ?site=}.
 */
@Path("/")
@RolesAllowed(Role.VIEWER_NAME)  // pages name people (as pseudonyms unless hr reveals them)
public class DayResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance day(WorkstationReport report);
    }

    private final WorkstationReadModel readModel;
    private final AgentsReadModel agents;
    private final ReportConfig config;
    private final Clock clock;

    public DayResource(WorkstationReadModel readModel, AgentsReadModel agents, ReportConfig config, Clock clock) {
        this.readModel = readModel;
        this.agents = agents;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> home(@QueryParam("site") String site, @QueryParam("date") String date) {
        return page(site, date);
    }

    @GET
    @Path("day")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@QueryParam("site") String site, @QueryParam("date") String date) {
        return json(site, date).map(Templates::day);
    }

    @GET
    @Path("api/workstation/day")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<WorkstationReport> json(@QueryParam("site") String site, @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        LocalDate today = s.today(clock);
        LocalDate d = ReportQuery.dateOrToday("date", date, today);
        return readModel.day(s, d, clock.instant(), d.equals(today))
                .flatMap(r -> agents.coverage(r.site(), r.zone(), r.date(), r.date(), r.generatedAt()).map(r::withCoverage));
    }

    @GET
    @Path("day.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> csv(@QueryParam("site") String site, @QueryParam("date") String date) {
        Site s = ReportQuery.site(site, config);
        ReportRange range = ReportRange.day(ReportQuery.dateOrToday("date", date, s.today(clock)));
        Instant now = clock.instant();
        return readModel.userDays(s, range, Optional.empty(), now).map(days -> WorkstationCsv.download(s, range, days));
    }
}
