/*
 * nofsync.so - fsync(2) and fdatasync(2) that return at once, for
 * bench/run's fsync-free twins and bench/breakdown only: LD_PRELOAD it to
 * see how much of a delivery's wall time is waiting for the disk. Never
 * for real mail: it throws durability away.
 */
int	fsync(int);
int	fdatasync(int);

int
fsync(int fd)
{
	(void)fd;
	return 0;
}

int
fdatasync(int fd)
{
	(void)fd;
	return 0;
}
