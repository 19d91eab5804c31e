package io.github.blllib.micrometer;

/**
 * Names and tags of the meters blllib registers, so that dashboards, alerts and tests spell them
 * once.
 */
public final class BlllibMeterNames {

	/** Gauge: items (or windows) submitted to a stage and not yet handed downstream. */
	public static final String STAGE_IN_FLIGHT = "blllib.stage.in.flight";

	/** Function counter: stage calls finished, tagged with {@link #TAG_OUTCOME}. */
	public static final String STAGE_PROCESSED = "blllib.stage.processed";

	/** Function counter: calls of a stage tried again after a failure, under its retry policy. */
	public static final String STAGE_RETRIES = "blllib.stage.retries";

	/** Function counter: calls of a stage that took longer than its timeout. */
	public static final String STAGE_TIMEOUTS = "blllib.stage.timeouts";

	/** Function timer: time spent inside a stage. */
	public static final String STAGE_DURATION = "blllib.stage.duration";

	/**
	 * Function timer: how long calls of a rate-limited stage waited for their permits (count: the
	 * permits taken); registered only for stages with a rate limit.
	 */
	public static final String STAGE_PERMIT_WAIT = "blllib.stage.permit.wait";

	/** Tag: the pipeline's name. */
	public static final String TAG_PIPELINE = "pipeline";

	/** Tag: the stage's name (its bean name, in the starter). */
	public static final String TAG_STAGE = "stage";

	/** Tag of {@link #STAGE_PROCESSED}: how a call ended. */
	public static final String TAG_OUTCOME = "outcome";

	/** Outcome of a call that returned an output. */
	public static final String OUTCOME_SUCCESS = "success";

	/** Outcome of a call that threw. */
	public static final String OUTCOME_ERROR = "error";

	/** Outcome of a call that returned {@code null}, so the item was dropped. */
	public static final String OUTCOME_DROPPED = "dropped";

	/** Outcome of an item whose calls failed and that the stage's policy skipped. */
	public static final String OUTCOME_SKIPPED = "skipped";

	/** Base unit of {@link #STAGE_IN_FLIGHT}. */
	public static final String UNIT_ITEMS = "items";

	/** Value of the {@code name} tag of the Spring Boot starter's shared worker pool's {@code executor.*} meters. */
	public static final String WORKER_POOL_NAME = "blllib-worker";

	private BlllibMeterNames() {
	}

}
