package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.blllib.Pipeline;
import io.github.blllib.kafka.KafkaJobState;
import io.github.blllib.kafka.KafkaPipelineJob;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Starts and stops one Kafka job of {@code blllib.kafka.jobs} with the application context. Each
 * start builds the job afresh over a new pipeline (a job starts once, and the pipelines of a
 * stopped context are closed); each stop ends the job, which commits what was delivered, and
 * closes its pipeline.
 */
final class KafkaJobLifecycle implements SmartLifecycle {

	private final String job;

	private final String pipelineName;

	private final boolean autoStartup;

	private final Supplier<Pipeline<?, ?>> pipelines;

	private final Function<Pipeline<?, ?>, KafkaPipelineJob> jobs;

	private final Consumer<KafkaPipelineJob> jobStarted;

	/** Guarded by this. */
	private KafkaPipelineJob current;

	/** Guarded by this. */
	private Pipeline<?, ?> pipeline;

	/**
	 * @param job the job's name
	 * @param pipelineName its pipeline's name, for the state shown before it starts
	 * @param autoStartup whether it starts with the context
	 * @param pipelines creates the job's pipeline on each start
	 * @param jobs builds the job over that pipeline
	 * @param jobStarted told of each job started, as its meters are bound
	 */
	KafkaJobLifecycle(String job, String pipelineName, boolean autoStartup, Supplier<Pipeline<?, ?>> pipelines,
			Function<Pipeline<?, ?>, KafkaPipelineJob> jobs, Consumer<KafkaPipelineJob> jobStarted) {
		this.job = job;
		this.pipelineName = pipelineName;
		this.autoStartup = autoStartup;
		this.pipelines = pipelines;
		this.jobs = jobs;
		this.jobStarted = jobStarted;
	}

	@Override
	public synchronized void start() {
		if (this.current != null && this.current.isRunning()) {
			return;
		}
		Pipeline<?, ?> created = this.pipelines.get();
		try {
			KafkaPipelineJob started = this.jobs.apply(created);
			started.start();
			this.current = started;
			this.pipeline = created;
			this.jobStarted.accept(started);
		}
		catch (RuntimeException ex) {
			created.close();
			throw ex;
		}
	}

	/** Ends the job (what it delivered is committed) and closes its pipeline. */
	@Override
	public void stop() {
		KafkaPipelineJob stopping;
		Pipeline<?, ?> closing;
		synchronized (this) {
			stopping = this.current;
			closing = this.pipeline;
		}
		if (stopping == null) {
			return;
		}
		stopping.stop();
		closing.close();
	}

	/** The job last started, or null before the first start. */
	synchronized KafkaPipelineJob started() {
		return this.current;
	}

	/** Whether the job's poll thread runs: false once it stopped or failed. */
	@Override
	public synchronized boolean isRunning() {
		return this.current != null && this.current.isRunning();
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/** Stops with Spring Kafka's listener containers, before the pipelines and executors. */
	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE;
	}

	String job() {
		return this.job;
	}

	/** Where the job stands; a job never started is {@link KafkaJobState.Status#NEW} with no partition. */
	synchronized KafkaJobState state() {
		if (this.current == null) {
			return new KafkaJobState(this.job, this.pipelineName, KafkaJobState.Status.NEW, List.of(), 0, 0, 0, null);
		}
		return this.current.state();
	}

}
