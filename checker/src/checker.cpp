// The frontend action: parses one translation unit, then runs the preprocessor's findings,
// the AST walk, the recursion check, and the value and lifetime rules over it.
#include "checker.hpp"

#include "context.hpp"
#include "lifetime.hpp"
#include "namespaces.hpp"
#include "preprocessor.hpp"
#include "recursion.hpp"
#include "templates.hpp"
#include "values.hpp"
#include "visitor.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <cstdio>

using namespace clang;

namespace netext::check {

namespace {

using Clock = std::chrono::steady_clock;

class Consumer : public ASTConsumer {
public:
	Consumer(Context &c, Clock::time_point start, std::string file,
		 std::function<void()> finish_preprocessor)
		: c_(c), start_(start), file_(std::move(file)),
		  finish_preprocessor_(std::move(finish_preprocessor))
	{}

	void HandleTranslationUnit(ASTContext &ctx) override
	{
		DiagnosticsEngine &de = ctx.getDiagnostics();
		c_.totals().files++;
		if (de.hasErrorOccurred()) {
			c_.totals().failed_compiles++;
			llvm::errs()
				<< "netext-check: " << file_ << ": does not compile; not checked\n";
			return;
		}
		Clock::time_point parsed = Clock::now();
		de.setErrorLimit(0);
		c_.set_diagnostics(de);
		unsigned before = c_.violations();
		finish_preprocessor_();
		c_.flush_queue();
		check_recursion(c_, ctx, check_translation_unit(c_, ctx));
		check_generic_code(c_, ctx);
		check_namespaces(c_, ctx);
		check_values(c_, ctx);
		check_lifetimes(c_, ctx);
		c_.totals().violations += c_.violations() - before;
		if (c_.cfg().time) {
			auto ms = [](Clock::duration d) {
				return std::chrono::duration<double, std::milli>(d).count();
			};
			Clock::time_point end = Clock::now();
			char buf[160];
			snprintf(buf, sizeof buf, "%.1f ms (parse %.1f ms, check %.1f ms)",
				 ms(end - start_), ms(parsed - start_), ms(end - parsed));
			llvm::errs() << "netext-check: " << file_ << ": " << buf << "\n";
		}
	}

private:
	Context &c_;
	Clock::time_point start_;
	std::string file_;
	std::function<void()> finish_preprocessor_;
};

class Action : public ASTFrontendAction {
public:
	Action(const Config &cfg, Totals &totals) : c_(cfg, totals) {}

	std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci,
						       StringRef file) override
	{
		c_.set_source_manager(ci.getSourceManager());
		c_.set_diagnostics(ci.getDiagnostics());
		// The app's own directory: the main file's.
		c_.add_app_dir(llvm::sys::path::parent_path(real_path(file)));
		auto finish = watch_preprocessor(ci.getPreprocessor(), c_);
		return std::make_unique<Consumer>(c_, start_, file.str(), std::move(finish));
	}

	bool BeginSourceFileAction(CompilerInstance &) override
	{
		start_ = Clock::now();
		return true;
	}

private:
	Context c_;
	Clock::time_point start_ = Clock::now();
};

class Factory : public tooling::FrontendActionFactory {
public:
	Factory(const Config &cfg, Totals &totals) : cfg_(cfg), totals_(totals) {}
	std::unique_ptr<FrontendAction> create() override
	{
		return std::make_unique<Action>(cfg_, totals_);
	}

private:
	const Config &cfg_;
	Totals &totals_;
};

} // namespace

std::unique_ptr<tooling::FrontendActionFactory> make_factory(const Config &cfg, Totals &totals)
{
	return std::make_unique<Factory>(cfg, totals);
}

} // namespace netext::check
