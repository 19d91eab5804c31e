package io.github.blllib;

/**
 * A stage (or the input, as stage {@value StageSpec#SOURCE}) failed during a
 * {@link PipelineRun}. The run is closed when this is thrown.
 */
public class PipelineException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String pipeline;

	private final String stage;

	private final long index;

	public PipelineException(String pipeline, String stage, long index, Throwable cause) {
		super("Stage '" + stage + "' of pipeline '" + pipeline + "' failed on input #" + index + ": "
				+ FailureDescription.of(cause),
				cause);
		this.pipeline = pipeline;
		this.stage = stage;
		this.index = index;
	}

	public PipelineException(String pipeline, String stage, long index, String message, Throwable cause) {
		super(message, cause);
		this.pipeline = pipeline;
		this.stage = stage;
		this.index = index;
	}

	/** Name of the pipeline that failed. */
	public String pipeline() {
		return this.pipeline;
	}

	/** Name of the stage that failed, or {@value StageSpec#SOURCE} for the input. */
	public String stage() {
		return this.stage;
	}

	/** Position, in that stage's own input (or the pipeline's input), of the failing item. */
	public long index() {
		return this.index;
	}

}
