package dev.rollcall.report;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Today's workstation activity per user, as a page at {@code /} and as JSON at {@code /api/workstation/day}.
 * {@code ?date=YYYY-MM-DD} shows another day; {@code ?site=} another site.
 */
@Path("/")
public class TodayResource {

    private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance today(WorkstationReport report, boolean isToday);
    }

    private final WorkstationReadModel readModel;
    private final ReportConfig config;
    private final Clock clock;

    public TodayResource(WorkstationReadModel readModel, ReportConfig config, Clock clock) {
        this.readModel = readModel;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@QueryParam("site") String site, @QueryParam("date") String date) {
        String s = site(site);
        LocalDate today = LocalDate.now(clock.withZone(config.zone()));
        LocalDate d = date(date, today);
        return readModel.day(s, d, config.zone(), clock.instant()).map(r -> Templates.today(r, d.equals(today)));
    }

    @GET
    @Path("api/workstation/day")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<WorkstationReport> json(@QueryParam("site") String site, @QueryParam("date") String date) {
        String s = site(site);
        LocalDate d = date(date, LocalDate.now(clock.withZone(config.zone())));
        return readModel.day(s, d, config.zone(), clock.instant());
    }

    private String site(String site) {
        if (site == null || site.isBlank()) {
            return config.site();
        }
        if (!SITE.matcher(site).matches()) {
            throw new InvalidQueryException("site must be a site id: lowercase letters, digits and '-'");
        }
        return site;
    }

    private static LocalDate date(String date, LocalDate today) {
        if (date == null || date.isBlank()) {
            return today;
        }
        try {
            LocalDate d = LocalDate.parse(date.strip());
            if (d.getYear() < 2000 || d.isAfter(today.plusYears(1))) {
                throw new InvalidQueryException("date " + d + " is out of range");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("date must be YYYY-MM-DD, got '" + (date.length() > 20 ? date.substring(0, 20) + "…" : date) + "'");
        }
    }
}
