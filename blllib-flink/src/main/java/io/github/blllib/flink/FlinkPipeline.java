package io.github.blllib.flink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.Pipeline;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The stages of a blllib pipeline as part of an Apache Flink job: the same {@link StageSpec}
 * values, with the outputs in input order end to end. The input is numbered at parallelism 1;
 * stateless and window stages run over {@link Builder#parallelism(int) parallelism} subtasks with
 * at most batch-size items in flight each (and at most {@value #MOST_IN_FLIGHT}), each call on a
 * thread only while it runs; an ordering point (parallelism 1, its buffer in
 * Flink's managed state) restores the order before every stateful stage, before windows are
 * formed and at the output. Stateful stages run at parallelism 1.
 *
 * <pre>{@code
 * DataStream<Double> out = FlinkPipeline.<Integer>builder("report")
 *         .then(StageSpec.window("ratio", 2, SerializableStage.of((List<Integer> w) -> ...)).batchSize(5))
 *         .parallelism(4)
 *         .build()
 *         .apply(input);
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class FlinkPipeline<I, O> {

	/**
	 * Most items in flight on one subtask, whatever the batch size: Flink's async operator
	 * allocates room for all of them when it starts.
	 */
	public static final int MOST_IN_FLIGHT = 1 << 20;

	private final String name;

	private final List<StagePlan> stages;

	private final int parallelism;

	/** Receives skipped items; null to log them. */
	private final DeadLetterHandler deadLetters;

	private FlinkPipeline(String name, List<StagePlan> stages, int parallelism, DeadLetterHandler deadLetters) {
		this.name = name;
		this.stages = List.copyOf(stages);
		this.parallelism = parallelism;
		this.deadLetters = deadLetters;
	}

	/**
	 * A builder of a pipeline named {@code name}, with the same rules for the name as
	 * {@link Pipeline#builder(String)}.
	 */
	public static <T> Builder<T, T> builder(String name) {
		return new Builder<>(Pipeline.requireValidName(name));
	}

	/** The outputs of the stages for {@code input}, in input order, as Flink's generic type. */
	@SuppressWarnings("unchecked")
	public DataStream<O> apply(DataStream<I> input) {
		return apply(input, (TypeInformation<O>) TypeInformation.of(Object.class));
	}

	/**
	 * The outputs of the stages for {@code input}, in the order the input arrives at the
	 * pipeline's first operator (the source's order when the input has parallelism 1).
	 * @param outputType the type information of the outputs, for Flink's serializers
	 */
	public DataStream<O> apply(DataStream<I> input, TypeInformation<O> outputType) {
		TypeInformation<Sequenced> sequenced = TypeInformation.of(Sequenced.class);
		DataStream<Sequenced> stream = input.keyBy(new SingleKey<>(), Types.INT)
			.process(new InputSequencer<I>())
			.returns(sequenced)
			.name(operatorName("input sequence"))
			.setParallelism(1);
		// ordered: at parallelism 1, in sequence, nothing dropped left in it
		boolean ordered = true;
		for (StagePlan stage : this.stages) {
			if (stage.kind() == StageKind.STATEFUL) {
				if (!ordered) {
					stream = release(stream, 0, "order before " + stage.name());
				}
				stream = stream.keyBy(new SingleKey<>(), Types.INT)
					.process(new StatefulStageFunction(this.name, stage, this.deadLetters))
					.returns(sequenced)
					.name(operatorName(stage.name()))
					.setParallelism(1);
				ordered = true;
				continue;
			}
			if (stage.kind() == StageKind.WINDOW) {
				stream = release(stream, stage.window(), "windows of " + stage.window() + " for " + stage.name());
				ordered = true;
			}
			DataStream<Sequenced> spread = ordered ? stream.rebalance() : stream;
			stream = AsyncDataStream
				.orderedWait(spread, new ParallelStageFunction(this.name, stage, this.deadLetters), 0, TimeUnit.MILLISECONDS,
						Math.min(stage.batchSize(), MOST_IN_FLIGHT))
				.returns(sequenced)
				.name(operatorName(stage.name()))
				.setParallelism(this.parallelism);
			ordered = false;
		}
		if (!ordered) {
			stream = release(stream, 0, "output order");
		}
		return stream.map(new OutputValue<O>()).returns(outputType).name(operatorName("output")).setParallelism(1);
	}

	/** Name of the pipeline. */
	public String name() {
		return this.name;
	}

	/** Subtasks of each stateless and window stage. */
	public int parallelism() {
		return this.parallelism;
	}

	private DataStream<Sequenced> release(DataStream<Sequenced> stream, int window, String what) {
		return stream.keyBy(new SingleKey<>(), Types.INT)
			.process(new OrderedRelease(window))
			.returns(TypeInformation.of(Sequenced.class))
			.name(operatorName(what))
			.setParallelism(1);
	}

	private String operatorName(String what) {
		return "blllib " + this.name + ": " + what;
	}

	/** The item of a released {@link Sequenced}. */
	private static final class OutputValue<O> implements MapFunction<Sequenced, O> {

		private static final long serialVersionUID = 1L;

		@Override
		@SuppressWarnings("unchecked")
		public O map(Sequenced item) {
			return (O) item.value;
		}

	}

	/**
	 * Builds a {@link FlinkPipeline}.
	 *
	 * @param <I> input type
	 * @param <O> output type of the last stage added
	 */
	public static final class Builder<I, O> {

		private final String name;

		private final List<StagePlan> stages = new ArrayList<>();

		private int parallelism = 1;

		private DeadLetterHandler deadLetters;

		private Builder(String name) {
			this.name = name;
		}

		/**
		 * Appends a stage fed with this builder's current output. Its stage must be
		 * serializable (see {@link SerializableStage}), which {@link #build()} checks.
		 * @throws IllegalArgumentException when the stage has a failure setting Flink cannot honour
		 * (a skip limit) or a name already taken
		 */
		@SuppressWarnings("unchecked")
		public <R> Builder<I, R> then(StageSpec<? super O, R> stage) {
			Objects.requireNonNull(stage, "stage must not be null");
			add(stage, new ShippedStageSource(stage));
			return (Builder<I, R>) this;
		}

		/**
		 * Appends the named stage beans of a Spring {@code @Configuration} class, in order, created
		 * on each task manager instead of shipped with the job: one application context per
		 * configuration class there, shared by the job's subtasks and closed when the job's class
		 * loader is released, with the blllib auto-configuration, so that the beans'
		 * {@code @BlllibStage} settings and {@code blllib.stages.<bean>.*} properties (from the
		 * configuration's {@code @PropertySource}s, system properties and environment variables)
		 * apply. The settings are read here, when the job is built, from a context on this JVM;
		 * every task manager must see the same. Needs {@code blllib-spring-boot-autoconfigure} on
		 * the classpath.
		 * @throws IllegalArgumentException when a name is not a stage bean, listing the known ones
		 */
		@SuppressWarnings("unchecked")
		public <R> Builder<I, R> springStages(Class<?> configuration, String... stageNames) {
			Objects.requireNonNull(configuration, "configuration must not be null");
			for (StageSpec<?, ?> spec : SpringStageContexts.specs(configuration, configuration.getClassLoader(), this.name,
					stageNames)) {
				add(spec, new SpringStageSource(configuration, this.name, spec.name()));
			}
			return (Builder<I, R>) this;
		}

		/** Subtasks of each stateless and window stage (default 1); stateful stages have one. */
		public Builder<I, O> parallelism(int parallelism) {
			if (parallelism < 1) {
				throw new IllegalArgumentException(
						"Pipeline '" + this.name + "': parallelism must be at least 1, but was " + parallelism);
			}
			this.parallelism = parallelism;
			return this;
		}

		/**
		 * Receives the items that stages skip after failing (see {@link StageSpec#skipFailures()})
		 * instead of the default WARN line: on the subtask that skipped each, so in no order across
		 * subtasks. It travels with the job, so it must be serializable (a lambda:
		 * {@code (DeadLetterHandler & Serializable) item -> ...}); one that throws fails the job.
		 */
		public Builder<I, O> deadLetters(DeadLetterHandler handler) {
			this.deadLetters = Objects.requireNonNull(handler, "deadLetters must not be null");
			return this;
		}

		/**
		 * The pipeline.
		 * @throws IllegalArgumentException naming the pipeline and the stage when a stage that
		 * travels with the job is not serializable, or the dead-letter handler is not
		 */
		public FlinkPipeline<I, O> build() {
			for (StagePlan stage : this.stages) {
				checkSerializable(stage, "stage '" + stage.name() + "'");
			}
			if (this.deadLetters != null) {
				checkSerializable(this.deadLetters, "the dead-letter handler");
			}
			return new FlinkPipeline<>(this.name, this.stages, this.parallelism, this.deadLetters);
		}

		private void add(StageSpec<?, ?> spec, StageSource source) {
			Pipeline.requireNewStageName(this.name, this.stages.stream().map(StagePlan::name).toList(), spec.name());
			if (spec.settings().skipLimit() != Long.MAX_VALUE) {
				throw new IllegalArgumentException("Pipeline '" + this.name + "': stage '" + spec.name()
						+ "' sets a skip limit (" + spec.settings().skipLimit() + "), which a FlinkPipeline cannot count "
						+ "across subtasks; remove it (skipFailures alone is supported)");
			}
			this.stages.add(StagePlan.of(spec, source));
		}

		private void checkSerializable(Object shipped, String what) {
			try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
				out.writeObject(shipped);
			}
			catch (IOException ex) {
				String fix = (shipped instanceof StagePlan)
						? "make it Serializable (a lambda: SerializableStage.of(...) or SerializableAsyncStage.of(...)) "
								+ "or create it on each task "
								+ "manager from a Spring configuration with springStages(...)"
						: "make it Serializable";
				throw new IllegalArgumentException("Pipeline '" + this.name + "': " + what + " is not serializable ("
						+ ex + "), but Flink ships it to its task managers: " + fix, ex);
			}
		}

	}

}
