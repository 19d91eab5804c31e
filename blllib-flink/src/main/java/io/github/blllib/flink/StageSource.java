package io.github.blllib.flink;

import java.io.Serializable;

import io.github.blllib.StageSpec;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Where a task manager gets a stage from: the stage itself, shipped with the job, or a Spring
 * configuration that creates it there.
 */
interface StageSource extends Serializable {

	/**
	 * The stage with its settings and failure policy, ready to be called on this JVM.
	 * @param context the runtime context of the subtask that will call it
	 */
	StageSpec<?, ?> open(RuntimeContext context);

}
