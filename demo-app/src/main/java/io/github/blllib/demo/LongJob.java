package io.github.blllib.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;
import io.github.blllib.StageStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Feeds 1..{@code demo.items} through the {@code long-job} pipeline declared in
 * application.yml (flaky-lookup: stateless, retries and skips; remote-screening: async, drops
 * what a simulated remote service turns away; collatz-steps: stateless;
 * accumulator: stateful; second-difference: windows of 3) on a background thread,
 * {@code demo.items-per-second} at most, logging progress every {@code demo.progress-interval}:
 * items done, rate, retried, skipped and screened-out items and each stage's in-flight count from
 * {@link Pipeline#statistics()}.
 *
 * <p>The pipeline stays open after its run, so that {@code /actuator/blllib} and the
 * {@code blllib.stage.*} meters keep showing its figures, until the starter closes it at shutdown
 * (ending its run if the job is still going).
 */
@Component
public class LongJob implements DisposableBean {

	/** The pipeline's name in application.yml. */
	public static final String PIPELINE = "long-job";

	/** The bean name of its async stage. */
	private static final String SCREENING = "remoteScreening";

	private static final Logger logger = LoggerFactory.getLogger(LongJob.class);

	private final PipelineFactory pipelineFactory;

	private final DemoProperties properties;

	private final DemoResults results;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
		Thread worker = new Thread(task, "demo-long-job");
		worker.setDaemon(true);
		return worker;
	});

	public LongJob(PipelineFactory pipelineFactory, DemoProperties properties, DemoResults results) {
		this.pipelineFactory = pipelineFactory;
		this.properties = properties;
		this.results = results;
	}

	/** Starts the job on its own thread; {@link DemoResults#longJob()} tells when it ends. */
	public void start() {
		this.thread.execute(() -> {
			try {
				this.results.longJobEnded(run(), null);
			}
			catch (CancellationException ex) {
				logger.warn("{}", ex.getMessage());
				this.results.longJobEnded(null, ex);
			}
			catch (RuntimeException ex) {
				logger.error("{}: failed", PIPELINE, ex);
				this.results.longJobEnded(null, ex);
			}
		});
	}

	private LongJobResult run() {
		long items = this.properties.items();
		long progressNanos = this.properties.progressInterval().toNanos();
		Pipeline<Long, Long> pipeline = this.pipelineFactory.create(PIPELINE);
		int itemsPerSecond = this.properties.itemsPerSecond();
		logger.info("{}: feeding 1..{} ({}) through {}", PIPELINE, String.format("%,d", items),
				(itemsPerSecond > 0) ? String.format("%,d items/s", itemsPerSecond) : "unpaced",
				pipeline.stages().stream().map(LongJob::describe).collect(Collectors.joining(" -> ")));
		long start = System.nanoTime();
		ProgressReport lastReport = new ProgressReport(start, 0);
		long outputs = 0;
		long checksum = 0;
		try (PipelineRun<Long> run = pipeline
			.apply(() -> PacedIterator.of(LongStream.rangeClosed(1, items).boxed().iterator(), itemsPerSecond))) {
			while (run.hasNext()) {
				checksum += run.next();
				outputs++;
				long now = System.nanoTime();
				if (now - lastReport.nanoTime() >= progressNanos) {
					lastReport = logProgress(pipeline, items, lastReport, now);
				}
			}
		}
		if (pipeline.isClosed()) {
			throw new CancellationException(PIPELINE + " was stopped after " + String.format("%,d", outputs)
					+ " outputs: the application is shutting down");
		}
		List<StageStatistics> statistics = pipeline.statistics();
		LongJobResult result = new LongJobResult(items, outputs, checksum, retried(statistics), skipped(statistics),
				screenedOut(statistics), Duration.ofNanos(System.nanoTime() - start));
		logger.info("{}: done, {} items in {} ms ({} items/s), {} retried, {} skipped, {} screened out, {} outputs, "
				+ "checksum {}", PIPELINE, String.format("%,d", result.items()), result.elapsed().toMillis(),
				String.format("%,.0f", result.itemsPerSecond()), String.format("%,d", result.retried()),
				String.format("%,d", result.skipped()), String.format("%,d", result.screenedOut()),
				String.format("%,d", result.outputs()), String.format("%,d", result.checksum()));
		return result;
	}

	/** Logs items done, the rate since the last report and each stage's in-flight count. */
	private static ProgressReport logProgress(Pipeline<?, ?> pipeline, long items, ProgressReport last, long now) {
		List<StageStatistics> statistics = pipeline.statistics();
		long done = statistics.get(0).processed();
		double rate = (done - last.itemsDone()) * 1e9 / (now - last.nanoTime());
		String inFlight = statistics.stream()
			.map((stage) -> stage.stage() + " " + stage.inFlight())
			.collect(Collectors.joining(", "));
		logger.info("{}: {} of {} items ({}%), {} items/s, {} retried, {} skipped, {} screened out; in flight: {}",
				PIPELINE, String.format("%,d", done), String.format("%,d", items), (items > 0) ? done * 100 / items : 100,
				String.format("%,.0f", rate), String.format("%,d", retried(statistics)),
				String.format("%,d", skipped(statistics)), String.format("%,d", screenedOut(statistics)), inFlight);
		return new ProgressReport(now, done);
	}

	private static long retried(List<StageStatistics> statistics) {
		return statistics.stream().mapToLong(StageStatistics::retries).sum();
	}

	private static long skipped(List<StageStatistics> statistics) {
		return statistics.stream().mapToLong(StageStatistics::skipped).sum();
	}

	/** Items the remote screening service turned away. */
	private static long screenedOut(List<StageStatistics> statistics) {
		return statistics.stream()
			.filter((stage) -> stage.stage().equals(SCREENING))
			.mapToLong(StageStatistics::dropped)
			.sum();
	}

	private static String describe(StageSpec<?, ?> stage) {
		String kind = switch (stage.settings().kind()) {
			case STATEFUL -> "stateful";
			case STATELESS -> "stateless";
			case WINDOW -> "windows of " + stage.settings().window();
		};
		if (stage.isAsync()) {
			kind = "async" + ((stage.settings().kind() == StageKind.WINDOW) ? ", " + kind : "");
		}
		return stage.name() + " (" + kind + ", batch " + stage.settings().batchSize() + ")";
	}

	/** Stops the job's thread; the starter has closed the pipeline by then. */
	@Override
	public void destroy() {
		this.thread.shutdownNow();
	}

	/** When progress was last logged, and how many items the first stage had processed then. */
	private record ProgressReport(long nanoTime, long itemsDone) {
	}

}
