/*
 * bcryptprimitives.c: a stand-in for Windows' bcryptprimitives.dll, for
 * Wine 8 (Debian 12) only, which lacks it. Go programs since Go 1.22 load
 * ProcessPrng from it at start-up and abort without it. Every Windows
 * version AgentLink supports (10, 11, Server 2016+) ships the real DLL;
 * scripts/windows-test.sh puts this one in the throwaway Wine prefix only.
 * ProcessPrng is served by RtlGenRandom (advapi32 SystemFunction036).
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x10000000 ? 0x10000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
