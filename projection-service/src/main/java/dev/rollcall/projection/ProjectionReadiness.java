package dev.rollcall.projection;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the consumer runs and owns its partitions, sought to their checkpoints. */
@Readiness
@ApplicationScoped
public class ProjectionReadiness implements HealthCheck {

    private final WorkstationProjectionRunner runner;

    public ProjectionReadiness(WorkstationProjectionRunner runner) {
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("projection " + WorkstationDayProjection.NAME)
                .status(runner.isRunning() && runner.isAssigned())
                .withData("running", runner.isRunning())
                .withData("assigned", runner.isAssigned())
                .build();
    }
}
