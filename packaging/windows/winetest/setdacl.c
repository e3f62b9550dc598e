/*
 * setdacl.c: sets a file's DACL from an SDDL string, for the Wine test
 * only (Wine's icacls is a stub): setdacl.exe PATH "D:(A;;FA;;;WD)"
 * loosens the bridge token so the test can check AgentLink refuses it;
 * setdacl.exe PATH - prints the DACL as SDDL.
 */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
	PSECURITY_DESCRIPTOR sd;
	PACL dacl = NULL;
	BOOL present, defaulted;
	DWORD err;

	if (argc != 3) {
		fwprintf(stderr, L"usage: setdacl PATH SDDL\n");
		return 2;
	}
	if (wcscmp(argv[2], L"-") == 0) {
		LPWSTR str;
		err = GetNamedSecurityInfoW(argv[1], SE_FILE_OBJECT, DACL_SECURITY_INFORMATION | OWNER_SECURITY_INFORMATION,
			NULL, NULL, &dacl, NULL, &sd);
		if (err != ERROR_SUCCESS || !ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1,
			DACL_SECURITY_INFORMATION | OWNER_SECURITY_INFORMATION, &str, NULL)) {
			fwprintf(stderr, L"setdacl: %ls: error %lu\n", argv[1], err ? err : GetLastError());
			return 1;
		}
		wprintf(L"%ls\n", str);
		return 0;
	}
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(argv[2], SDDL_REVISION_1, &sd, NULL) ||
	    !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted)) {
		fwprintf(stderr, L"setdacl: bad SDDL %ls: %lu\n", argv[2], GetLastError());
		return 1;
	}
	err = SetNamedSecurityInfoW(argv[1], SE_FILE_OBJECT,
		DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl, NULL);
	if (err != ERROR_SUCCESS) {
		fwprintf(stderr, L"setdacl: %ls: error %lu\n", argv[1], err);
		return 1;
	}
	return 0;
}
