package io.github.blllib;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the scheduling settings of a {@link Stage}, the seed's class variables. Read by
 * {@link StageSpec#of(String, Stage)} from the stage's class and, in the Spring Boot starter,
 * from a {@code @Bean} method too. Subclasses inherit it. The starter reads it from
 * {@link AsyncStage} beans as well: for those, {@code stateful} {@code "true"} and
 * {@code "false"} mean the same (their calls start in input order on the consuming thread), a
 * window size gives {@link StageSpec#asyncWindow}, and {@code runInMaster} must stay false.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BlllibStage {

	/**
	 * {@code "true"} (stateful: its own thread, in order), {@code "false"} (stateless: the
	 * shared worker pool) or a positive integer {@code k} (sliding windows of k items, then
	 * stateless). In Spring, {@code ${...}} placeholders are resolved.
	 */
	String stateful() default "true";

	/** Most inputs (or windows) in flight for the stage; at least 1. */
	int batchSize() default 1;

	/** Whether the stage runs on the thread that consumes the pipeline's output. */
	boolean runInMaster() default false;

}
