package io.github.blllib;

/**
 * A stage setting has a value that is not allowed. Names the stage, the setting, the value and
 * the allowed values, so that whoever read the value (a property, an annotation) can say where
 * it came from. Every setting error of the engine has this shape.
 */
public class InvalidStageSettingException extends IllegalArgumentException {

	/** {@link #setting()} of a bad {@code stateful} value. */
	public static final String STATEFUL = "stateful";

	/** {@link #setting()} of a bad batch size. */
	public static final String BATCH_SIZE = "batchSize";

	/** {@link #setting()} of a bad {@link Pipeline.Builder#nCpu(int)}, a pipeline's setting. */
	public static final String N_CPU = "nCpu";

	/** {@link #setting()} of a run-in-master setting a stage cannot have. */
	public static final String RUN_IN_MASTER = "runInMaster";

	/** {@link #setting()} of a bad skip limit. */
	public static final String SKIP_LIMIT = "skipLimit";

	/** {@link #setting()} of a bad timeout, or of one a stage cannot have. */
	public static final String TIMEOUT = "timeout";

	/** {@link #setting()} of a bad {@link Retry#maxRetries(int)}. */
	public static final String RETRY_MAX_RETRIES = "retry.maxRetries";

	/** {@link #setting()} of a bad {@link Retry#delay}. */
	public static final String RETRY_DELAY = "retry.delay";

	/** {@link #setting()} of a bad {@link Retry#multiplier}. */
	public static final String RETRY_MULTIPLIER = "retry.multiplier";

	/** {@link #setting()} of a bad {@link Retry#maxDelay}. */
	public static final String RETRY_MAX_DELAY = "retry.maxDelay";

	/** {@link #setting()} of a bad {@link Retry#includes}. */
	public static final String RETRY_INCLUDES = "retry.includes";

	/** {@link #setting()} of a bad {@link Retry#excludes}. */
	public static final String RETRY_EXCLUDES = "retry.excludes";

	/** {@link #setting()} of a bad {@link RateLimit#permits()}. */
	public static final String RATE_LIMIT_PERMITS = "rateLimit.permits";

	/** {@link #setting()} of a bad {@link RateLimit#period()}. */
	public static final String RATE_LIMIT_PERIOD = "rateLimit.period";

	private static final long serialVersionUID = 1L;

	private final String stage;

	private final String setting;

	private final String value;

	private final String allowedValues;

	InvalidStageSettingException(String stage, String setting, Object value, String allowedValues) {
		this(((stage != null) ? "Stage '" + stage + "': " : ""), stage, setting, value, allowedValues);
	}

	private InvalidStageSettingException(String where, String stage, String setting, Object value,
			String allowedValues) {
		super(where + setting + " must be " + allowedValues + ", but was '" + value + "'");
		this.stage = stage;
		this.setting = setting;
		this.value = String.valueOf(value);
		this.allowedValues = allowedValues;
	}

	/** A bad setting of pipeline {@code pipeline} (null when it has no name yet), such as {@link #N_CPU}. */
	static InvalidStageSettingException ofPipeline(String pipeline, String setting, Object value,
			String allowedValues) {
		return new InvalidStageSettingException((pipeline != null) ? "Pipeline '" + pipeline + "': " : "", null,
				setting, value, allowedValues);
	}

	/**
	 * The name of the stage, or null for a {@link Retry} or {@link RateLimit} refused before it was
	 * given to a stage.
	 */
	public String stage() {
		return this.stage;
	}

	/**
	 * The setting, named as the {@link BlllibStage} attribute or the {@link StageSpec} method that
	 * sets it (a {@link Retry}'s prefixed {@code retry.}): one of this class's constants.
	 */
	public String setting() {
		return this.setting;
	}

	/** The rejected value. */
	public String value() {
		return this.value;
	}

	/** The values that would be accepted, in words. */
	public String allowedValues() {
		return this.allowedValues;
	}

}
