package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of random pipelines, fixed seeds: each must give exactly what the same pipeline
 * gives in sequential mode and what a plain re-statement of the seed's semantics gives.
 */
class RandomizedEquivalenceTest {

	private static final long MODULUS = 1_000_003;

	@AfterAll
	static void noThreadLeftBehind() {
		Threads.assertNoBlllibThreadAlive();
	}

	@ParameterizedTest(name = "seed {0}")
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6 })
	void randomPipelinesMatchSequentialModeAndTheReference(long seed) {
		Random random = new Random(seed);
		for (int i = 0; i < 60; i++) {
			List<Recipe> recipes = randomRecipes(random);
			List<Long> inputs = randomInputs(random);
			int nCpu = 1 + random.nextInt(4);
			boolean jitter = random.nextInt(4) == 0;
			String description = "seed " + seed + " #" + i + " nCpu " + nCpu + " " + recipes + " over " + inputs.size();

			List<Long> expected = reference(recipes, inputs);
			List<Long> sequential = run(recipes, inputs, nCpu, true, false);
			List<Long> parallel = run(recipes, inputs, nCpu, false, jitter);

			assertThat(sequential).as(description).isEqualTo(expected);
			assertThat(parallel).as(description).isEqualTo(expected);
		}
	}

	private static List<Long> run(List<Recipe> recipes, List<Long> inputs, int nCpu, boolean sequential,
			boolean jitter) {
		Pipeline.Builder<Long, Long> builder = Pipeline.<Long>builder("random").nCpu(nCpu);
		if (sequential) {
			builder.sequential();
		}
		List<StageSpec<?, ?>> specs = new ArrayList<>();
		for (int i = 0; i < recipes.size(); i++) {
			specs.add(recipes.get(i).spec("s" + i, jitter));
		}
		try (Pipeline<Long, Long> pipeline = builder.<Long>thenAll(specs).build()) {
			return StageKindsTest.drain(pipeline.apply(inputs));
		}
	}

	/** The seed's semantics, re-stated plainly over lists. */
	private static List<Long> reference(List<Recipe> recipes, List<Long> inputs) {
		List<Long> items = inputs;
		for (Recipe recipe : recipes) {
			Stage<Object, Long> stage = recipe.newStage(false);
			List<Object> stageInputs = new ArrayList<>();
			if (recipe.window > 0) {
				for (int i = 0; i + recipe.window <= items.size(); i++) {
					stageInputs.add(List.copyOf(items.subList(i, i + recipe.window)));
				}
			}
			else {
				stageInputs.addAll(items);
			}
			List<Long> outputs = new ArrayList<>();
			for (Object input : stageInputs) {
				try {
					Long output = stage.apply(input);
					if (output != null) {
						outputs.add(output);
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
			items = outputs;
		}
		return items;
	}

	private static List<Recipe> randomRecipes(Random random) {
		int count = 1 + random.nextInt(5);
		List<Recipe> recipes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Function function = Function.values()[random.nextInt(Function.values().length)];
			int window = (function == Function.WINDOW_SPREAD) ? 1 + random.nextInt(4) : 0;
			StageKind kind = switch (function) {
				case ACCUMULATE -> StageKind.STATEFUL;
				case WINDOW_SPREAD -> StageKind.WINDOW;
				default -> random.nextBoolean() ? StageKind.STATELESS : StageKind.STATEFUL;
			};
			int batchSize = (random.nextInt(5) == 0) ? 16 + random.nextInt(300) : 1 + random.nextInt(8);
			boolean inMaster = random.nextInt(5) == 0;
			recipes.add(new Recipe(function, kind, window, batchSize, inMaster, random.nextLong()));
		}
		return recipes;
	}

	private static List<Long> randomInputs(Random random) {
		int length = switch (random.nextInt(6)) {
			case 0 -> 0;
			case 1 -> 1;
			case 2 -> 2 + random.nextInt(3);
			default -> random.nextInt(400);
		};
		return LongStream.range(0, length).map((i) -> random.nextInt(1000)).boxed().toList();
	}

	enum Function {

		AFFINE, DROP_SOME, ACCUMULATE, WINDOW_SPREAD

	}

	record Recipe(Function function, StageKind kind, int window, int batchSize, boolean inMaster, long salt) {

		@SuppressWarnings("unchecked")
		Stage<Object, Long> newStage(boolean jitter) {
			Stage<Object, Long> stage = switch (this.function) {
				case AFFINE -> (x) -> (((Long) x) * 31 + this.salt % 97) % MODULUS;
				case DROP_SOME -> (x) -> (((Long) x) % 3 == Math.floorMod(this.salt, 3)) ? null : (Long) x;
				case ACCUMULATE -> new Stage<>() {
					private long sum;

					@Override
					public Long apply(Object x) {
						this.sum = (this.sum + (Long) x) % MODULUS;
						return this.sum;
					}
				};
				case WINDOW_SPREAD -> (w) -> {
					List<Long> window = (List<Long>) w;
					long spread = window.get(window.size() - 1) - window.get(0);
					return (spread % 7 == 0 && window.size() > 1) ? null : Math.floorMod(spread * 13 + window.size(), MODULUS);
				};
			};
			if (!jitter) {
				return stage;
			}
			return (x) -> {
				LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000));
				return stage.apply(x);
			};
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		StageSpec<?, ?> spec(String name, boolean jitter) {
			Stage stage = newStage(jitter);
			StageSpec<?, ?> spec = switch (this.kind) {
				case STATEFUL -> StageSpec.stateful(name, stage);
				case STATELESS -> StageSpec.stateless(name, stage);
				case WINDOW -> StageSpec.window(name, this.window, stage);
			};
			spec = spec.batchSize(this.batchSize);
			return this.inMaster ? spec.runInMaster() : spec;
		}

		@Override
		public String toString() {
			return this.function + "/" + this.kind + (this.window > 0 ? "(" + this.window + ")" : "") + "/b"
					+ this.batchSize + (this.inMaster ? "/master" : "");
		}

	}

}
