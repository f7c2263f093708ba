// Does not compile: the checker prints the compiler's errors and exits 2.
int f()
{
	return undeclared;
}
