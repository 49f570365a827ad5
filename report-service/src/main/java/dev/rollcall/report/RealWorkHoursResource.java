package dev.rollcall.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * work-tracing's report API, so that its clients keep working: {@code GET /api/reports/real_work_hours}
 * {@code ?username=&start_date=&end_date=} (and Rollcall's {@code ?site=}) answers
 * {@code {"success": true, "data": [...]}}, one entry per user-day, ordered by date, then username.
 */
@Path("api/reports/real_work_hours")
// work-tracing's clients now send Authorization: Bearer <token from POST /api/token>; the rows carry user names in clear
@RolesAllowed(Role.HR_NAME)
public class RealWorkHoursResource {

    /** The reply: work-tracing's envelope. */
    public record Reply(boolean success, List<UserDayHours> data) {
    }

    /**
     * One user-day. {@code real_hours_counted} counts whole 40-minute blocks of continuous working;
     * first and last activity are the start of the first working interval and the end of the last (now while
     * it runs), null when the user reported but never worked.
     */
    public record UserDayHours(String username,
                               @JsonProperty("work_date") LocalDate workDate,
                               @JsonProperty("real_hours_counted") int realHoursCounted,
                               @JsonProperty("working_minutes") long workingMinutes,
                               @JsonProperty("first_activity") Instant firstActivity,
                               @JsonProperty("last_activity") Instant lastActivity,
                               String site) {

        static UserDayHours of(String site, UserDay d) {
            WorkingTime w = d.working();
            return new UserDayHours(d.username(), d.date(), w.realWorkBlocks(), w.minutes(), w.firstWorkAt(),
                    w.lastWorkAt(), site);
        }
    }

    private final WorkstationReadModel readModel;
    private final ReportConfig config;
    private final Clock clock;
    private final Reveals reveals;

    public RealWorkHoursResource(WorkstationReadModel readModel, ReportConfig config, Clock clock, Reveals reveals) {
        this.readModel = readModel;
        this.config = config;
        this.clock = clock;
        this.reveals = reveals;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Reply> realWorkHours(@QueryParam("username") String username,
                                    @QueryParam("start_date") String startDate,
                                    @QueryParam("end_date") String endDate,
                                    @QueryParam("site") String site,
                                    @jakarta.ws.rs.core.Context jakarta.ws.rs.core.SecurityContext security) {
        Site s = ReportQuery.site(site, config);
        ReportRange range = ReportQuery.span(startDate, endDate, s.today(clock));
        // work-tracing's clients know users by name: every call is a reveal, audited like a page's
        return reveals.reveal(security.getUserPrincipal().getName(), s, "/api/reports/real_work_hours",
                        range.from() + ".." + range.to())
                .chain(() -> readModel.userDays(s, range, ReportQuery.username(username), clock.instant()))
                .map(days -> new Reply(true, days.stream().map(d -> UserDayHours.of(s.id(), d)).toList()));
    }
}
