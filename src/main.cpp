// sbbsmail entry point: parse the command line and hand over to the server.
#include <cstdio>

int main() {
    std::puts("sbbsmail: not yet wired");
    return 0;
}
