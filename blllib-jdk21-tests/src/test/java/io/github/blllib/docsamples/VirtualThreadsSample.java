package io.github.blllib.docsamples;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.blllib.Pipeline;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;

/** The virtual-thread example of docs/async-and-virtual-threads.md (Java 21+). */
class VirtualThreadsSample {

	static void run(List<String> ids, ProfileService service, Output out) {
		// tag::virtual-threads[]
		try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
		     Pipeline<String, Profile> pipeline = Pipeline.<String>builder("enrich")
		         .nCpu(256)                                                  // lookups at once, one virtual thread each
		         .workerPool(workers)
		         .dedicatedExecutors((name, stage) -> Executors.newSingleThreadExecutor(
		             Thread.ofVirtual().name("blllib-" + name + "-" + stage).factory()))
		         .then(StageSpec.stateless("lookup", service::lookup).batchSize(256))
		         .then(StageSpec.stateful("dedupe", new Dedupe()))
		         .build()) {
		    pipeline.apply(ids).forEachRemaining(out::write);
		}
		// end::virtual-threads[]
	}

	record Profile(String id) {
	}

	interface ProfileService {

		Profile lookup(String id);

	}

	interface Output {

		void write(Profile profile);

	}

	static class Dedupe implements Stage<Profile, Profile> {

		private final java.util.Set<String> seen = new java.util.HashSet<>();

		@Override
		public Profile apply(Profile profile) {
			return this.seen.add(profile.id()) ? profile : null;
		}

	}

}
