package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of blllib: the worker pool's size, per-stage settings that override
 * {@code @BlllibStage} key by key, pipelines declared by their stage names, metrics, shutdown and
 * the live view.
 */
@ConfigurationProperties("blllib")
public class BlllibProperties {

	/**
	 * Worker threads shared by all stateless and window stages. Defaults to the available
	 * processors minus the stateful stage beans that do not run in master, at least 1.
	 */
	private Integer nCpu;

	/**
	 * Settings of the Stage and AsyncStage beans, keyed by bean name: 'stateful' ('true', 'false' or a
	 * positive integer window size), 'batch-size' (at least 1) and 'run-in-master' (boolean),
	 * each overriding the bean's '@BlllibStage' attribute of the same name; and the failure
	 * policy: 'retry.max-retries', 'retry.delay', 'retry.multiplier', 'retry.max-delay',
	 * 'retry.includes' and 'retry.excludes' (exception class names), 'on-failure' ('fail' or
	 * 'skip'), 'skip-limit' and 'timeout' (a positive duration, not for a stage run in master).
	 */
	private final Map<String, StageProperties> stages = new LinkedHashMap<>();

	/**
	 * Pipelines created by name with 'PipelineFactory.create(name)', keyed by pipeline name:
	 * 'stages' lists the Stage bean names the pipeline runs, in order.
	 */
	private final Map<String, PipelineProperties> pipelines = new LinkedHashMap<>();

	private final Metrics metrics = new Metrics();

	private final Shutdown shutdown = new Shutdown();

	private final Health health = new Health();

	private final Observations observations = new Observations();

	private final Ui ui = new Ui();

	public Integer getNCpu() {
		return this.nCpu;
	}

	public void setNCpu(Integer nCpu) {
		this.nCpu = nCpu;
	}

	public Map<String, StageProperties> getStages() {
		return this.stages;
	}

	public Map<String, PipelineProperties> getPipelines() {
		return this.pipelines;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Health getHealth() {
		return this.health;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Ui getUi() {
		return this.ui;
	}

	/**
	 * Settings of one Stage or AsyncStage bean. A key left unset keeps the value of the bean's
	 * {@code @BlllibStage}, or the default when it has none.
	 */
	public static class StageProperties {

		/**
		 * Whether the stage is stateful: 'true' (its own thread, inputs in order), 'false'
		 * (stateless, on the shared worker pool) or a positive integer k (sliding windows of k
		 * items, run like a stateless stage). Defaults to 'true'. For an AsyncStage bean 'true' and
		 * 'false' both mean async and k async windows.
		 */
		private String stateful;

		/**
		 * Most inputs (or windows) submitted to the stage and not yet handed downstream; at
		 * least 1. Defaults to 1.
		 */
		private Integer batchSize;

		/**
		 * Whether the stage runs on the thread that consumes the pipeline's output. Defaults
		 * to false, which an AsyncStage bean must keep.
		 */
		private Boolean runInMaster;

		/**
		 * How the stage retries a failed call before the item is skipped or fails the run.
		 */
		private final RetryProperties retry = new RetryProperties();

		/**
		 * What to do with an item whose call still fails after its retries: 'fail' ends the run,
		 * 'skip' drops the item and hands it to the dead letters. Defaults to 'fail'.
		 */
		private OnFailure onFailure;

		/**
		 * Most items the stage may skip in one run before the run fails; zero or more. Defaults
		 * to no limit.
		 */
		private Long skipLimit;

		/**
		 * Longest a call may take before it is interrupted and fails with a
		 * StageTimeoutException; positive, at most 106751 days. Not for a stage run in master. Defaults to none.
		 */
		private Duration timeout;

		/**
		 * How fast the stage's calls may start. Unset: no limit.
		 */
		private final RateLimitProperties rateLimit = new RateLimitProperties();

		public String getStateful() {
			return this.stateful;
		}

		public void setStateful(String stateful) {
			this.stateful = stateful;
		}

		public Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(Integer batchSize) {
			this.batchSize = batchSize;
		}

		public Boolean getRunInMaster() {
			return this.runInMaster;
		}

		public void setRunInMaster(Boolean runInMaster) {
			this.runInMaster = runInMaster;
		}

		public RetryProperties getRetry() {
			return this.retry;
		}

		public OnFailure getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(OnFailure onFailure) {
			this.onFailure = onFailure;
		}

		public Long getSkipLimit() {
			return this.skipLimit;
		}

		public void setSkipLimit(Long skipLimit) {
			this.skipLimit = skipLimit;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public RateLimitProperties getRateLimit() {
			return this.rateLimit;
		}

	}

	/**
	 * A stage's rate limit: at most 'permits' calls start in any interval of 'period', one budget
	 * for every pipeline that uses the stage bean. Unset: no limit.
	 */
	public static class RateLimitProperties {

		/**
		 * Most calls that start in any interval of the period; an integer of at least 1. Setting
		 * it limits the stage.
		 */
		private Integer permits;

		/**
		 * Interval in which at most 'permits' calls start; positive, at most 106751 days. Needs
		 * 'permits'. Defaults to 1s.
		 */
		private Duration period;

		public Integer getPermits() {
			return this.permits;
		}

		public void setPermits(Integer permits) {
			this.permits = permits;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

	}

	/**
	 * What a stage does with an item whose call still fails after its retries.
	 */
	public enum OnFailure {

		/** End the run with a PipelineException. */
		FAIL,

		/** Drop the item, hand it to the dead letters and go on. */
		SKIP

	}

	/**
	 * How a stage retries a failed call. Unset: no retry.
	 */
	public static class RetryProperties {

		/**
		 * Further attempts after the first; zero or more. The other retry keys need it.
		 */
		private Integer maxRetries;

		/**
		 * Wait before the first retry; zero to 106751 days. Defaults to no wait.
		 */
		private Duration delay;

		/**
		 * Factor by which each later wait grows; at least 1. Defaults to 1.
		 */
		private Double multiplier;

		/**
		 * Longest wait between two attempts; zero to 106751 days. Defaults to no cap.
		 */
		private Duration maxDelay;

		/**
		 * Exception classes (with their subclasses) that are retried, by fully qualified name.
		 * Defaults to every Exception.
		 */
		private List<Class<? extends Throwable>> includes = new ArrayList<>();

		/**
		 * Exception classes (with their subclasses) that are never retried, by fully qualified
		 * name.
		 */
		private List<Class<? extends Throwable>> excludes = new ArrayList<>();

		public Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public List<Class<? extends Throwable>> getIncludes() {
			return this.includes;
		}

		public void setIncludes(List<Class<? extends Throwable>> includes) {
			this.includes = includes;
		}

		public List<Class<? extends Throwable>> getExcludes() {
			return this.excludes;
		}

		public void setExcludes(List<Class<? extends Throwable>> excludes) {
			this.excludes = excludes;
		}

	}

	/**
	 * A pipeline declared in configuration.
	 */
	public static class PipelineProperties {

		/**
		 * Names of the Stage beans the pipeline runs, in order.
		 */
		private List<String> stages = new ArrayList<>();

		public List<String> getStages() {
			return this.stages;
		}

		public void setStages(List<String> stages) {
			this.stages = stages;
		}

	}

	/**
	 * Metrics settings.
	 */
	public static class Metrics {

		/**
		 * Whether to record per-stage meters.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Shutdown settings.
	 */
	public static class Shutdown {

		/**
		 * How long closing the pipelines still open at shutdown may take: one deadline shared
		 * by all of them. Stage calls still running after it are logged at WARN and left on
		 * their daemon threads, which do not keep the JVM alive. Zero or more.
		 */
		private Duration closeTimeout = Duration.ofSeconds(10);

		/**
		 * How long the runs still open at shutdown get to end on their own (exhausted, failed or
		 * closed by their consumers) before they are closed. Zero, the default, closes them at
		 * once.
		 */
		private Duration awaitTerminationPeriod = Duration.ZERO;

		public Duration getAwaitTerminationPeriod() {
			return this.awaitTerminationPeriod;
		}

		public void setAwaitTerminationPeriod(Duration awaitTerminationPeriod) {
			this.awaitTerminationPeriod = awaitTerminationPeriod;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

	}

	/**
	 * Health settings.
	 */
	public static class Health {

		/**
		 * How long a stage may have items in flight and finish no call before the 'blllib'
		 * health contributor reports it stalled, and DOWN. Positive, at most 106751 days.
		 */
		private Duration stallTimeout = Duration.ofMinutes(1);

		public Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(Duration stallTimeout) {
			this.stallTimeout = stallTimeout;
		}

	}

	/**
	 * Observation settings.
	 */
	public static class Observations {

		/**
		 * Whether to record a 'blllib.run' observation of each pipeline run.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Live view settings.
	 */
	public static class Ui {

		/**
		 * Whether to serve the live view, a page that draws every open pipeline from the
		 * 'blllib' actuator endpoint, in a servlet web application where that endpoint is
		 * exposed over HTTP.
		 */
		private boolean enabled;

		/**
		 * Path of the live view, relative to the dispatcher servlet, such as '/blllib'.
		 */
		private String path = "/blllib";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

}
