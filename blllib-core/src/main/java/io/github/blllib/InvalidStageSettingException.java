package io.github.blllib;

/**
 * A stage setting has a value that is not allowed. Names the stage, the setting, the value and
 * the allowed values, so that whoever read the value (a property, an annotation) can say where
 * it came from.
 */
public class InvalidStageSettingException extends IllegalArgumentException {

	/** {@link #setting()} of a bad {@code stateful} value. */
	public static final String STATEFUL = "stateful";

	/** {@link #setting()} of a bad batch size. */
	public static final String BATCH_SIZE = "batchSize";

	/** {@link #setting()} of a run-in-master setting a stage cannot have. */
	public static final String RUN_IN_MASTER = "runInMaster";

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
		super(((stage != null) ? "Stage '" + stage + "': " : "") + setting + " must be " + allowedValues + ", but was '" + value + "'");
		this.stage = stage;
		this.setting = setting;
		this.value = String.valueOf(value);
		this.allowedValues = allowedValues;
	}

	/** The name of the stage, or null for a {@link RateLimit}, which is refused before a stage has it. */
	public String stage() {
		return this.stage;
	}

	/** The setting, named as the {@link BlllibStage} attribute: {@link #STATEFUL}, {@link #BATCH_SIZE} or
	 * {@link #RUN_IN_MASTER}; or {@link #RATE_LIMIT_PERMITS} or {@link #RATE_LIMIT_PERIOD}. */
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
