package dev.rollcall.projection;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the live generation's consumer runs and owns its partitions; says its lag and any rebuild. */
@Readiness
@ApplicationScoped
public class ProjectionReadiness implements HealthCheck {

    private final ProjectionSupervisor supervisor;

    public ProjectionReadiness(ProjectionSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("projection " + WorkstationDayProjection.NAME)
                .status(supervisor.ready());
        ProjectionSupervisor.ProjectionStatus s = supervisor.status();
        if (s != null && s.live() != null) {
            b.withData("live generation", s.live().generation()).withData("lag", s.live().lag());
        }
        if (s != null && s.building() != null) {
            b.withData("rebuilding generation", s.building().generation())
                    .withData("rebuild", s.building().folded() + " of " + s.building().total() + " events");
        }
        return b.build();
    }
}
