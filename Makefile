# yuban — the two commands of the README, plus the rest of the toolbox.
.PHONY: run test bench eval train lint clean

run:            ## build what is missing, then start the assistant (Ctrl-C stops it); PROFILE=prod: production profile
	./yuban run $(if $(PROFILE),--profile $(PROFILE))

test:           ## build everything from nothing and run all tests
	scripts/test.sh

bench:          ## benchmarks (print figures; not tests)
	scripts/bench.sh

eval:           ## development evaluation of search (and of the conversation if it runs)
	./yuban eval search

train:          ## train the Rasa model if its data changed
	./yuban train

lint:           ## ruff with the configuration in pyproject.toml (zero findings; part of make test)
	scripts/ensure_env.sh actions
	.venvs/actions/bin/ruff check .

clean:          ## remove generated files (keeps the environments)
	rm -rf build models var results
