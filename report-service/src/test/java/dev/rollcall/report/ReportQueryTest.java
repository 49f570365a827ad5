package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules for what a report may be asked, without a server. */
class ReportQueryTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 29);

    @Test
    void theApiRangeDefaultsToTodayAndToASingleDay() {
        assertThat(ReportQuery.span(null, null, TODAY)).isEqualTo(ReportRange.span(TODAY, TODAY));
        assertThat(ReportQuery.span("2026-03-01", null, TODAY).to()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(ReportQuery.span("2026-03-01", "2026-03-10", TODAY).length()).isEqualTo(10);
        // a leap year's 366 days are allowed, one more is not
        assertThat(ReportQuery.span("2024-01-01", "2024-12-31", TODAY).length()).isEqualTo(366);
        assertThatThrownBy(() -> ReportQuery.span("2024-01-01", "2025-01-01", TODAY))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("over a year");
    }

    @Test
    void badRangesAreRefused() {
        assertThatThrownBy(() -> ReportQuery.span("2026-03-10", "2026-03-09", TODAY))
                .hasMessageContaining("end_date 2026-03-09 is before start_date 2026-03-10");
        assertThatThrownBy(() -> ReportQuery.span(null, "2026-03-09", TODAY)).hasMessageContaining("needs a start_date");
        assertThatThrownBy(() -> ReportQuery.span("2026-3-1", null, TODAY)).hasMessageContaining("start_date must be YYYY-MM-DD");
        assertThatThrownBy(() -> ReportQuery.span("2026-02-30", null, TODAY)).hasMessageContaining("start_date must be YYYY-MM-DD");
        assertThatThrownBy(() -> ReportQuery.span("2026-03-01", "+12026-03-01", TODAY)).hasMessageContaining("end_date must be");
        assertThatThrownBy(() -> ReportQuery.span("1999-12-31", null, TODAY)).hasMessageContaining("out of range");
    }

    @Test
    void usernamesAreExactAndBounded() {
        assertThat(ReportQuery.username(null)).isEmpty();
        assertThat(ReportQuery.username("ACME\\jdoe")).contains("ACME\\jdoe");
        assertThat(ReportQuery.username("x".repeat(256))).isPresent();
        assertThatThrownBy(() -> ReportQuery.username(" ")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> ReportQuery.username("x".repeat(257))).hasMessageContaining("longer than 256");
    }

    @Test
    void monthsAndSitesAndTheirZones() {
        assertThat(ReportQuery.monthOrThisMonth(null, TODAY)).isEqualTo(YearMonth.of(2026, 3));
        assertThat(ReportQuery.monthOrThisMonth("2026-01", TODAY)).isEqualTo(YearMonth.of(2026, 1));
        assertThatThrownBy(() -> ReportQuery.monthOrThisMonth("2026-13", TODAY)).hasMessageContaining("month must be YYYY-MM");
        assertThatThrownBy(() -> ReportQuery.monthOrThisMonth("march", TODAY)).hasMessageContaining("month must be YYYY-MM");

        ReportConfig config = config("hq", ZoneId.of("UTC"), Map.of("berlin", ZoneId.of("Europe/Berlin")));
        assertThat(ReportQuery.site(null, config)).isEqualTo(new Site("hq", ZoneId.of("UTC")));
        assertThat(ReportQuery.site("berlin", config).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(ReportQuery.site("elsewhere", config).zone()).isEqualTo(ZoneId.of("UTC"));
        assertThatThrownBy(() -> ReportQuery.site("Berlin!", config)).hasMessageContaining("site must be a site id");
    }

    /** The real mapping, as Quarkus builds it from properties: every group and default as in the service. */
    private static ReportConfig config(String site, ZoneId zone, Map<String, ZoneId> zones) {
        Map<String, String> properties = new java.util.HashMap<>(Map.of("report.site", site, "report.zone", zone.getId()));
        zones.forEach((s, z) -> properties.put("report.zones." + s, z.getId()));
        return new io.smallrye.config.SmallRyeConfigBuilder()
                .withMapping(ReportConfig.class)
                .withSources(new io.smallrye.config.PropertiesConfigSource(properties, "test", 100))
                .withConverter(ZoneId.class, 100, ZoneId::of)
                .build()
                .getConfigMapping(ReportConfig.class);
    }
}
