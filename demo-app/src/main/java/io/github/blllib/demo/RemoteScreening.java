package io.github.blllib.demo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.blllib.AsyncStage;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The long job's async stage, a stand-in for a call to a remote screening service through a
 * non-blocking client: {@code apply} only sends the request and returns its future, which the
 * "service" (this bean's scheduler thread) completes {@code demo.remote-latency} later. No
 * pipeline thread waits for the answer; at most the stage's batch size of calls are
 * outstanding. The service turns away numbers divisible by {@value #BLOCKED_DIVISOR}: their
 * future completes with {@code null}, which drops them. Its batch size and timeout come from
 * {@code blllib.stages.remote-screening.*} in application.yml.
 */
@Component
public class RemoteScreening implements AsyncStage<Long, Long>, DisposableBean {

	/** The service turns away the multiples of this number. */
	public static final long BLOCKED_DIVISOR = 97;

	private final ScheduledExecutorService service = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "demo-remote-screening");
		thread.setDaemon(true);
		return thread;
	});

	private final long latencyNanos;

	public RemoteScreening(DemoProperties properties) {
		this.latencyNanos = properties.remoteLatency().toNanos();
	}

	@Override
	public CompletionStage<Long> apply(Long n) {
		CompletableFuture<Long> answer = new CompletableFuture<>();
		this.service.schedule(() -> answer.complete(isBlocked(n) ? null : n), this.latencyNanos, TimeUnit.NANOSECONDS);
		return answer;
	}

	/** Whether the service turns {@code n} away. */
	public static boolean isBlocked(long n) {
		return n % BLOCKED_DIVISOR == 0;
	}

	/** Stops the simulated service; calls still outstanding are cancelled by their run's close. */
	@Override
	public void destroy() {
		this.service.shutdownNow();
	}

}
