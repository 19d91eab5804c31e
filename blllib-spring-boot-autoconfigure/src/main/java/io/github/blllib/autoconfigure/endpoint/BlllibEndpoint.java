package io.github.blllib.autoconfigure.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.github.blllib.AsyncStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Retry;
import io.github.blllib.StageKind;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import io.github.blllib.StageStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * {@link Endpoint @Endpoint} {@code blllib}: the stages of the {@link PipelineFactory} (the
 * Stage and AsyncStage beans) with their settings, the shared worker pool, every open pipeline with its
 * live per-stage figures, and the Kafka jobs with their partitions.
 * {@code /actuator/blllib/{pipeline}} shows the open pipelines of one name.
 */
@Endpoint(id = BlllibEndpoint.ID)
public class BlllibEndpoint {

	/** The endpoint's id, which is also its path under the actuator base path. */
	public static final String ID = "blllib";

	private static final double NANOS_PER_MILLI = 1_000_000.0;

	private final PipelineFactory pipelineFactory;

	private final BeanFactory beanFactory;

	private final Supplier<List<Pipeline<?, ?>>> openPipelines;

	private final @Nullable Executor workerPool;

	private final boolean virtualThreads;

	private final KafkaJobDescriptions kafkaJobs;

	/**
	 * @param pipelineFactory the factory whose {@link PipelineFactory#stages() stages} to show
	 * @param beanFactory where those stages are beans, to tell prototypes
	 * @param openPipelines the open pipelines to show, in creation order
	 * @param workerPool the shared worker pool, or {@code null} when there is none to show
	 * @param virtualThreads whether blllib makes its worker pool's and stateful stages' threads
	 * virtual (Spring Boot's {@code spring.threads.virtual.enabled} on Java 21+)
	 */
	public BlllibEndpoint(PipelineFactory pipelineFactory, BeanFactory beanFactory,
			Supplier<List<Pipeline<?, ?>>> openPipelines, @Nullable Executor workerPool, boolean virtualThreads) {
		this(pipelineFactory, beanFactory, openPipelines, workerPool, virtualThreads, List::of);
	}

	/**
	 * @param pipelineFactory the factory whose {@link PipelineFactory#stages() stages} to show
	 * @param beanFactory where those stages are beans, to tell prototypes
	 * @param openPipelines the open pipelines to show, in creation order
	 * @param workerPool the shared worker pool, or {@code null} when there is none to show
	 * @param virtualThreads whether blllib makes its worker pool's and stateful stages' threads
	 * virtual (Spring Boot's {@code spring.threads.virtual.enabled} on Java 21+)
	 * @param kafkaJobs the Kafka jobs to show
	 */
	public BlllibEndpoint(PipelineFactory pipelineFactory, BeanFactory beanFactory,
			Supplier<List<Pipeline<?, ?>>> openPipelines, @Nullable Executor workerPool, boolean virtualThreads,
			KafkaJobDescriptions kafkaJobs) {
		this.pipelineFactory = pipelineFactory;
		this.beanFactory = beanFactory;
		this.openPipelines = openPipelines;
		this.workerPool = workerPool;
		this.virtualThreads = virtualThreads;
		this.kafkaJobs = kafkaJobs;
	}

	/** Everything: stage beans, worker pool, open pipelines and Kafka jobs. */
	@ReadOperation
	public BlllibDescriptor blllib() {
		List<StageBeanDescriptor> stages = this.pipelineFactory.stages()
			.entrySet()
			.stream()
			.map((stage) -> describeStageBean(stage.getKey(), stage.getValue()))
			.toList();
		List<PipelineDescriptor> pipelines = this.openPipelines.get().stream().map(this::describePipeline).toList();
		return new BlllibDescriptor(stages, describeWorkerPool(), pipelines, this.kafkaJobs.describe());
	}

	/** The open pipelines called {@code pipeline}, or {@code null} (HTTP 404) when there is none. */
	@ReadOperation
	public @Nullable PipelinesDescriptor pipeline(@Selector String pipeline) {
		List<PipelineDescriptor> pipelines = this.openPipelines.get()
			.stream()
			.filter((open) -> open.name().equals(pipeline))
			.map(this::describePipeline)
			.toList();
		return pipelines.isEmpty() ? null : new PipelinesDescriptor(pipelines);
	}

	private StageBeanDescriptor describeStageBean(String name, StageSettings settings) {
		boolean prototype = this.beanFactory.containsBean(name) && !this.beanFactory.isSingleton(name);
		boolean async = this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, AsyncStage.class);
		return new StageBeanDescriptor(name, settings.stateful(), settings.kind(), async, settings.window(),
				settings.batchSize(), settings.runInMaster(), prototype);
	}

	private @Nullable WorkerPoolDescriptor describeWorkerPool() {
		if (this.workerPool instanceof ThreadPoolTaskExecutor executor) {
			return new WorkerPoolDescriptor(executor.getPoolSize(), executor.getCorePoolSize(),
					executor.getMaxPoolSize(), executor.getActiveCount(), executor.getQueueSize(), this.virtualThreads);
		}
		if (this.workerPool instanceof ThreadPoolExecutor executor) {
			return new WorkerPoolDescriptor(executor.getPoolSize(), executor.getCorePoolSize(),
					executor.getMaximumPoolSize(), executor.getActiveCount(), executor.getQueue().size(),
					this.virtualThreads);
		}
		return null;
	}

	private PipelineDescriptor describePipeline(Pipeline<?, ?> pipeline) {
		List<StageSpec<?, ?>> specs = pipeline.stages();
		List<StageStatistics> statistics = pipeline.statistics();
		List<PipelineStageDescriptor> stages = IntStream.range(0, specs.size())
			.mapToObj((i) -> describeStage(specs.get(i), statistics.get(i)))
			.toList();
		OptionalLong position = pipeline.openRunPosition();
		return new PipelineDescriptor(pipeline.name(), pipeline.hasOpenRun(),
				position.isPresent() ? position.getAsLong() : null, pipeline.nCpu(), pipeline.isSequential(), stages);
	}

	private PipelineStageDescriptor describeStage(StageSpec<?, ?> spec, StageStatistics statistics) {
		long processed = statistics.processed();
		double meanDurationMillis = (processed != 0) ? statistics.totalTimeNanos() / NANOS_PER_MILLI / processed : 0;
		StageSettings settings = spec.settings();
		Retry retry = settings.retry();
		Duration timeout = settings.timeout();
		return new PipelineStageDescriptor(spec.name(), settings.kind(), spec.isAsync(), settings.window(),
				settings.batchSize(),
				settings.runInMaster(), (retry != null) ? retry.maxRetries() : null, settings.skipFailures(),
				(settings.skipLimit() != Long.MAX_VALUE) ? settings.skipLimit() : null,
				(timeout != null) ? timeout.toString() : null, statistics.inFlight(), processed,
				statistics.succeeded(), statistics.failed(), statistics.dropped(), statistics.skipped(),
				statistics.retries(), statistics.timeouts(), meanDurationMillis, statistics.activeThreads(),
				(spec.settings().rateLimit() != null) ? new RateLimitDescriptor(spec.settings().rateLimit().permits(),
						spec.settings().rateLimit().period().toString()) : null,
				statistics.permitWaitNanos() / NANOS_PER_MILLI);
	}

	/**
	 * Everything the endpoint shows.
	 *
	 * @param stages the Stage beans, by name
	 * @param workerPool the shared worker pool, {@code null} when it is not a thread pool
	 * @param pipelines the open pipelines, in creation order
	 * @param kafkaJobs the Kafka jobs of {@code blllib.kafka.jobs}, in name order; empty without
	 * Kafka
	 */
	public record BlllibDescriptor(List<StageBeanDescriptor> stages, @Nullable WorkerPoolDescriptor workerPool,
			List<PipelineDescriptor> pipelines, List<KafkaJobDescriptor> kafkaJobs) implements OperationResponseBody {
	}

	/**
	 * The open pipelines of one name.
	 *
	 * @param pipelines the open pipelines of that name, in creation order
	 */
	public record PipelinesDescriptor(List<PipelineDescriptor> pipelines) implements OperationResponseBody {
	}

	/**
	 * A Stage bean and its resolved settings.
	 *
	 * @param name the bean name, which pipelines use
	 * @param stateful "true", "false" or the window size, as the seed spells it
	 * @param kind the kind of stage {@code stateful} declares
	 * @param async whether it is an {@code AsyncStage} (kind then stateless or window)
	 * @param window the window size of a window stage, 0 otherwise
	 * @param batchSize most inputs (or windows) in flight
	 * @param runInMaster whether the stage runs on the consuming thread
	 * @param prototype whether each pipeline gets a fresh instance
	 */
	public record StageBeanDescriptor(String name, String stateful, StageKind kind, boolean async, int window,
			int batchSize,
			boolean runInMaster, boolean prototype) {
	}

	/**
	 * The shared worker pool.
	 *
	 * @param poolSize threads in the pool now
	 * @param corePoolSize threads the pool keeps
	 * @param maxPoolSize most threads the pool may have
	 * @param active threads running a task now
	 * @param queued tasks waiting for a thread
	 * @param virtualThreads whether blllib makes the pool's threads, and the stateful stages',
	 * virtual threads (Spring Boot's {@code spring.threads.virtual.enabled} on Java 21+); a
	 * worker pool bean of your own makes its threads as you built it
	 */
	public record WorkerPoolDescriptor(int poolSize, int corePoolSize, int maxPoolSize, int active, int queued,
			boolean virtualThreads) {
	}

	/**
	 * An open pipeline.
	 *
	 * @param name the pipeline's name
	 * @param hasOpenRun whether a run is open now
	 * @param position the open run's position: the first input an output not yet delivered
	 * needs, where a restart would resume (it may lag a little behind the consumer); {@code null}
	 * when no run is open
	 * @param nCpu worker threads its stateless and window stages share
	 * @param sequential whether every stage runs in master
	 * @param stages its stages, in order, with their live figures
	 */
	public record PipelineDescriptor(String name, boolean hasOpenRun, @Nullable Long position, int nCpu,
			boolean sequential,
			List<PipelineStageDescriptor> stages) {
	}

	/**
	 * A stage of an open pipeline: its effective settings and its figures, summed over the
	 * pipeline's runs.
	 *
	 * @param name the stage's name
	 * @param kind stateful, stateless or window
	 * @param async whether it is an {@code AsyncStage}, whose futures no thread waits for (kind
	 * then stateless or window)
	 * @param window the window size of a window stage, 0 otherwise
	 * @param batchSize most inputs (or windows) in flight (ignored in master)
	 * @param runInMaster whether the stage runs on the consuming thread
	 * @param maxRetries further attempts after a failed call, {@code null} without a retry policy
	 * @param skipFailures whether an item that still fails after its retries is skipped
	 * @param skipLimit most items skipped in one run, {@code null} when unlimited
	 * @param timeout longest call, as an ISO-8601 duration ({@code PT2S}), {@code null} for none
	 * @param inFlight items (or windows) submitted and not yet handed downstream
	 * @param processed items finished, whatever their outcome (skipped ones included)
	 * @param succeeded calls that returned an output
	 * @param errors calls that threw, and whose item was not skipped
	 * @param dropped calls that returned {@code null}
	 * @param skipped items skipped after their calls failed
	 * @param retries calls tried again after a failure
	 * @param timeouts calls that took longer than the timeout
	 * @param meanDurationMillis mean time of a call, in milliseconds (for a stage run in master,
	 * estimated from sampled calls)
	 * @param activeThreads threads running the stage now (none for an async stage)
	 * @param rateLimit how fast its calls may start, {@code null} for no limit
	 * @param permitWaitMillis time its calls waited for permits of the rate limit, in
	 * milliseconds, summed over the calls
	 */
	public record PipelineStageDescriptor(String name, StageKind kind, boolean async, int window, int batchSize,
			boolean runInMaster,
			@Nullable Integer maxRetries, boolean skipFailures, @Nullable Long skipLimit, @Nullable String timeout,
			int inFlight, long processed, long succeeded, long errors, long dropped, long skipped, long retries,
			long timeouts, double meanDurationMillis, int activeThreads, @Nullable RateLimitDescriptor rateLimit,
			double permitWaitMillis) {
	}

	/**
	 * A Kafka job.
	 *
	 * @param name the job's name
	 * @param pipeline the name of the pipeline it runs (open while the job runs, among the
	 * pipelines)
	 * @param status NEW, RUNNING, STOPPED or FAILED
	 * @param uncommittedRecords records whose outputs were delivered and whose offsets are not
	 * yet committed
	 * @param commits commits so far
	 * @param rebalances rebalances that took partitions from the job
	 * @param failure why the job failed, {@code null} unless it did
	 * @param partitions the partitions assigned to it, by topic and partition
	 */
	public record KafkaJobDescriptor(String name, String pipeline, String status, long uncommittedRecords, long commits,
			long rebalances, @Nullable String failure, List<KafkaPartitionDescriptor> partitions) {
	}

	/**
	 * Where a Kafka job stands in one partition.
	 *
	 * @param topic the topic
	 * @param partition the partition
	 * @param delivered the offset the job would commit for what it handed to the sink, -1 before
	 * its first output
	 * @param committed the last offset it committed, -1 before its first commit
	 */
	public record KafkaPartitionDescriptor(String topic, int partition, long delivered, long committed) {
	}

	/**
	 * A stage's rate limit.
	 *
	 * @param permits most calls that start in any interval of the period
	 * @param period the interval, as an ISO-8601 duration ({@code PT1S})
	 */
	public record RateLimitDescriptor(int permits, String period) {
	}

}
